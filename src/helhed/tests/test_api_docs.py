"""docs/api.md lists every error code the API can answer with, so callers can rely on it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1]
DOCS = SRC.parents[1] / "docs" / "api.md"
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Where errors the API answers with are raised (pages and the demo have their own).
PLACES = ["api.py", "core", "people", "sharing", "organisation", "catalogue", "cases",
          "messaging", "assessment", "plans", "orders"]
RAISERS = {"InvalidInput", "NotFound", "AccessDenied", "DomainError", "CprError", "_error",
           "four_digits"}
NOT_CODES = {"departments.json", "roles.json"}


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _codes_in(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        strings: list[ast.expr] = []
        if isinstance(node, ast.Call) and _name(node.func) in RAISERS:
            strings = list(node.args) + [kw.value for kw in node.keywords if kw.arg == "code"]
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and (t.id == "code" or t.id.endswith("_CODE"))
                for t in node.targets):
            strings = [node.value]
        found |= {s.value for s in strings if isinstance(s, ast.Constant)
                  and isinstance(s.value, str) and CODE.match(s.value)}
    return found - NOT_CODES


def error_codes() -> set[str]:
    codes: set[str] = set()
    for place in PLACES:
        paths = [SRC / place] if place.endswith(".py") else list((SRC / place).rglob("*.py"))
        for path in paths:
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            codes |= _codes_in(ast.parse(path.read_text(encoding="utf-8")))
    return codes


def test_the_known_codes_are_found() -> None:
    assert {"auth.required", "auth.csrf", "request.invalid", "citizen.not_found",
            "cpr.checksum", "custody.not_parent", "address.postcode"} <= error_codes()


def test_every_error_code_is_documented() -> None:
    documented = DOCS.read_text(encoding="utf-8")
    missing = sorted(c for c in error_codes() if f"`{c}`" not in documented)
    assert missing == [], "add these error codes to docs/api.md"
