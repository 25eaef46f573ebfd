"""docs/api.md lists the error codes the catalogue answers with (the shared test in
helhed/tests/test_api_docs.py does not look in catalogue/ yet)."""

from __future__ import annotations

import ast
from pathlib import Path

from helhed.tests.test_api_docs import DOCS, _codes_in

APP = Path(__file__).resolve().parents[1]


def test_every_catalogue_error_code_is_documented() -> None:
    codes: set[str] = set()
    for path in APP.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            codes |= _codes_in(ast.parse(path.read_text(encoding="utf-8")))
    assert {"kle.unknown", "kle.doctype", "legal_basis.not_found"} <= codes
    documented = DOCS.read_text(encoding="utf-8")
    assert sorted(c for c in codes if f"`{c}`" not in documented) == []
