"""Views and API modules never query personal-data models themselves (STYLE.md, "one door
per object"): they call the doors in ``services``, which go through the policy and log.

A view or API module may import a personal-data model only to name it in type
annotations or to build a response schema from it (``Schema.of(citizen)``); any other use —
``Citizen.objects``, ``get_object_or_404(Citizen, …)``, a related manager such as
``citizen.residences.all()`` — fails here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps

SRC = Path(__file__).resolve().parents[1]
PERSONAL_DATA_APPS = {"people", "cases", "messaging", "assessment", "sharing", "plans",
                      "orders"}
MANAGER_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
QUERY_METHODS = {
    "aggregate", "all", "annotate", "count", "create", "defer", "delete", "earliest",
    "exclude", "exists", "filter", "first", "get", "get_or_create", "in_bulk", "iterator",
    "last", "latest", "only", "order_by", "prefetch_related", "raw", "select_related",
    "update", "update_or_create", "values", "values_list",
}


def personal_data_modules() -> set[str]:
    return {f"helhed.{app}.models" for app in PERSONAL_DATA_APPS}


def related_accessors() -> set[str]:
    """Reverse and many-to-many accessors of personal-data models (``residences``, …)."""
    names = set()
    for app in PERSONAL_DATA_APPS:
        for model in apps.get_app_config(app).get_models():
            for rel in model._meta.related_objects:
                names.add(rel.get_accessor_name() or "")
            names.update(f.name for f in model._meta.many_to_many)
    return names - {""}


def view_and_api_modules() -> Iterator[Path]:
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if path.name in {"views.py", "api.py"} or path.parent.name in {"views", "api"}:
            yield path


class _Checker(ast.NodeVisitor):
    def __init__(self, accessors: set[str]) -> None:
        self.accessors = accessors
        self.models: set[str] = set()  # local names bound to personal-data models
        self.modules: set[str] = set()  # local names bound to personal-data model modules
        self.problems: list[str] = []

    # imports
    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module in personal_data_modules():
            self.models.update(alias.asname or alias.name for alias in node.names)
        elif node.module and any(f"{node.module}.{a.name}" in personal_data_modules()
                                 for a in node.names):
            self.modules.update(a.asname or a.name for a in node.names
                                if f"{node.module}.{a.name}" in personal_data_modules())

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name in personal_data_modules():
                self.modules.add(alias.asname or alias.name)

    # annotations are allowed: skip them
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for statement in node.body:
            self.visit(statement)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(default)
        for decorator in node.decorator_list:
            self.visit(decorator)

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815 - ast's naming

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    # uses
    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in MANAGER_ATTRIBUTES:
            self.problems.append(f"line {node.lineno}: .{node.attr} in a view or API module")
        elif (node.attr in QUERY_METHODS and isinstance(node.value, ast.Attribute)
              and node.value.attr in self.accessors):
            self.problems.append(
                f"line {node.lineno}: .{node.value.attr}.{node.attr}() queries a "
                "personal-data relation")
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value  # type: ignore[assignment]
        if isinstance(root, ast.Name) and root.id in self.modules:
            self.problems.append(f"line {node.lineno}: uses {root.id}.{node.attr}")
            return
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.models:
            self.problems.append(f"line {node.lineno}: uses {node.id} outside an annotation")


def problems_in(source: str, accessors: set[str] | None = None) -> list[str]:
    checker = _Checker(related_accessors() if accessors is None else accessors)
    checker.visit(ast.parse(source))
    return checker.problems


def test_there_are_view_and_api_modules_to_check() -> None:
    names = {p.relative_to(SRC).as_posix() for p in view_and_api_modules()}
    assert {"api.py", "people/api.py", "web/views/citizens.py"} <= names


@pytest.mark.parametrize("path", list(view_and_api_modules()),
                         ids=lambda p: p.relative_to(SRC).as_posix())
def test_views_and_api_never_query_personal_data_models(path: Path) -> None:
    assert problems_in(path.read_text(encoding="utf-8")) == []


# The rule itself must be able to fail.

ALLOWED = '''
from helhed.people.models import Address, Citizen
from helhed.people import services

class CitizenOut(Schema):
    id: str

    @staticmethod
    def of(c: Citizen, home: Address | None = None) -> "CitizenOut":
        return CitizenOut(id=str(c.uuid))

def detail(request, citizen_id) -> CitizenOut:
    person: Citizen = services.access_citizen(request.user, citizen_id)
    family = services.family_of(request.user, person)
    return CitizenOut.of(person, family.residences[0].address)
'''

FORBIDDEN = {
    "manager": "from helhed.people.models import Citizen\nCitizen.objects.get(pk=1)\n",
    "aliased manager": "from helhed.people.models import Citizen as C\nC.objects.all()\n",
    "module import": "import helhed.people.models as pm\npm.Citizen.objects.all()\n",
    "from-module import": "from helhed.people import models\nmodels.Citizen.objects.all()\n",
    "shortcut": "from helhed.people.models import Citizen\nget_object_or_404(Citizen, pk=1)\n",
    "default manager": "def f(m):\n    return m._default_manager.all()\n",
    "related manager": "def f(c):\n    return c.residences.all()\n",
    "related filter": "def f(c):\n    return c.residences.filter(valid_to=None)\n",
    "inside a method": ("from helhed.people.models import Citizen\nclass V:\n"
                        "    def get(self) -> None:\n        Citizen.objects.filter()\n"),
}


def test_annotations_and_schema_helpers_are_allowed() -> None:
    assert problems_in(ALLOWED, {"residences"}) == []


@pytest.mark.parametrize("source", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_queries_on_personal_data_are_caught(source: str) -> None:
    assert problems_in(source, {"residences"}) != []
