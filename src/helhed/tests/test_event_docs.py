"""docs/events.md lists every event type the code emits, so subscribers can rely on it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1]
DOCS = SRC.parents[1] / "docs" / "events.md"
EVENT_TYPE = re.compile(r"^[a-z_]+(\.[a-z_]+){2}$")


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets if isinstance(target, ast.Name)
    }


def emitted_types() -> dict[str, str]:
    """Literal event types passed as the first argument of ``emit`` or an ``_emit…`` helper,
    or as ``event=`` to ``cases.history.changed`` (history row and event in one call) or
    the third argument of a ``_record…`` helper around it."""
    found = {}
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            keyword = next((k.value for k in node.keywords if k.arg == "event"), None)
            if name == "changed" and keyword is not None:
                first = keyword
            elif node.args and (name == "emit" or name.startswith("_emit")):
                first = node.args[0]
            elif name.startswith("_record") and len(node.args) >= 3:  # (actor, obj, type)
                first = node.args[2]
            else:
                continue
            value = (first.value if isinstance(first, ast.Constant)
                     else constants.get(first.id) if isinstance(first, ast.Name) else None)
            if isinstance(value, str) and EVENT_TYPE.match(value):
                found[value] = path.relative_to(SRC).as_posix()
            elif isinstance(first, ast.IfExp):  # event="a.b.c" if … else "a.b.d"
                for branch in (first.body, first.orelse):
                    if isinstance(branch, ast.Constant) and EVENT_TYPE.match(str(branch.value)):
                        found[str(branch.value)] = path.relative_to(SRC).as_posix()
    return found


def test_the_code_emits_the_known_citizen_events() -> None:
    assert {"people.citizen.registered", "people.residence.changed",
            "people.custody.changed"} <= set(emitted_types())


def test_the_code_emits_the_known_case_events() -> None:
    assert {"cases.case.opened", "cases.case.closed", "cases.journal.corrected",
            "cases.notification.received", "cases.decision.made",
            "cases.grant.created"} <= set(emitted_types())


def test_every_emitted_event_type_is_documented() -> None:
    documented = DOCS.read_text(encoding="utf-8")
    missing = {t: where for t, where in emitted_types().items() if f"`{t}`" not in documented}
    assert missing == {}, "add these event types to docs/events.md"
