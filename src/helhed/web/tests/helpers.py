"""Assertions every page must pass: Danish, and every input labelled."""

from __future__ import annotations

from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.title = ""
        self._in_title = False
        self.inputs: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self._label_depth = 0
        self.wrapped: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.label_for.add(str(attributes["for"]))
        elif tag in ("input", "select", "textarea"):
            if attributes.get("type") in ("hidden", "submit", "button"):
                return
            self.inputs.append(attributes)
            if self._label_depth:
                self.wrapped.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self._label_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def assert_danish_and_labelled(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    assert page.lang == "da"
    assert page.title.strip() and "helhed" in page.title
    for field in page.inputs:
        assert field in page.wrapped or field.get("id") in page.label_for \
            or field.get("aria-label"), f"input without a label: {field}"
    return page
