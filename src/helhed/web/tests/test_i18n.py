"""English as the second language: the switch in the header, the pages in English, and a
catalogue that is complete, reviewed (not fuzzy) and compiled.

None of these tests needs GNU gettext: the .po is read by the small parser below and the
committed .mo by Python's ``gettext``. ``scripts/messages.sh`` refreshes both.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation.template import templatize

from helhed.core.errors import InvalidInput
from helhed.people import rules

pytestmark = pytest.mark.django_db

HELHED = Path(__file__).resolve().parents[2]
MESSAGES = HELHED / "locale" / "en" / "LC_MESSAGES"
PO_FILE = MESSAGES / "django.po"
MO_FILE = MESSAGES / "django.mo"
# Where pages get their strings from: the web app, the policy door's reasons, the domain
# errors' messages and relation words (marked with gettext_noop where they are raised), and
# the catalogue's verbose names and KLE, legal-basis and search errors.
MARKED_SOURCES = (HELHED / "web", HELHED / "sharing", HELHED / "core", HELHED / "people",
                  HELHED / "organisation", HELHED / "catalogue")
GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext",
                     "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def switch_language(client: Client, code: str, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": code, "next": next_url})


# --- the pages ------------------------------------------------------------------------------

def test_danish_is_the_default(login, anna):
    response = login(anna).get("/")
    text = response.content.decode()
    assert '<html lang="da">' in text
    assert "Goddag, Anna" in text and "Gå til arbejdslisten" in text
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_header_offers_english_on_a_danish_page(login, anna):
    text = login(anna).get("/borgere/").content.decode()
    assert 'action="/i18n/setlang/"' in text
    assert '<input type="hidden" name="next" value="/borgere/">' in text
    assert 'name="language" value="en" lang="en">English</button>' in text
    assert '<span class="helhed-language-current" lang="da" aria-current="true">Dansk</span>' \
        in text


def test_switching_to_english_is_kept_in_the_language_cookie(login, anna):
    client = login(anna)
    response = switch_language(client, "en", "/borgere/")
    assert response.status_code == 302 and response["Location"] == "/borgere/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    text = client.get("/borgere/").content.decode()
    assert '<html lang="en">' in text
    assert "<h1>Find citizen</h1>" in text
    assert 'name="language" value="da" lang="da">Dansk</button>' in text


def test_start_page_in_english(login, anna):
    client = login(anna)
    switch_language(client, "en")
    text = client.get("/").content.decode()
    assert "<h1>Hello, Anna</h1>" in text
    assert "Go to the work list" in text
    assert "<dt>Role</dt>" in text and "<dt>Municipality</dt>" in text
    assert "Log out" in text and "Goddag" not in text
    # Role and unit names are data, not interface text: they stay as the municipality wrote them.
    assert "Sagsbehandler, børn og unge" in text


def test_citizen_page_in_english(login, anna, family):
    client = login(anna)
    switch_language(client, "en")
    response = client.get(f"/borgere/{family.father.uuid}/")
    assert response.status_code == 200
    text = response.content.decode()
    for heading in ("Master data", "Household", "Family", "Custody", "Contact details"):
        assert f'-heading">{heading}</h2>' in text, heading
    assert "Søren Ærø" in text and "<td>June 15, 1983</td>" in text  # dates follow the language
    assert "Stamdata</h2>" not in text and "Husstand</h2>" not in text


def test_switching_back_to_danish(login, anna):
    client = login(anna)
    switch_language(client, "en")
    switch_language(client, "da")
    text = client.get("/").content.decode()
    assert '<html lang="da">' in text and "Goddag, Anna" in text


def test_refusal_reason_from_the_policy_door_is_shown_in_english(login, gustav):
    client = login(gustav)
    switch_language(client, "en", "/borgere/")
    response = client.get("/borgere/")
    assert response.status_code == 403
    assert "Your role does not give access to this information." in response.content.decode()


def english(client: Client) -> Client:
    switch_language(client, "en")
    return client


@pytest.mark.parametrize(("query", "message"), [
    ("x", "Enter at least two characters: a name or a CPR number."),
    ("12345678", "Enter a whole CPR number (10 digits) or a date of birth (DDMMYY, 6 digits)."),
    ("0102031235", "The CPR number fails the check (modulus 11). Check it for a typing error."),
    ("3202031234", "The first six digits are not a valid date (DDMMYY)."),
])
def test_a_malformed_search_is_explained_in_english(login, anna, query, message):
    response = english(login(anna)).get("/borgere/", {"q": query})
    assert response.status_code == 400
    text = response.content.decode()
    assert f'role="alert"><span class="sr-only">Error: </span>{message}</span>' in text
    assert "Skriv" not in text and "CPR-nummeret" not in text and "cifre" not in text


def test_a_message_with_values_is_translated_before_they_are_filled_in():
    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        rules.parse_cpr("010203-12", field="cpr")
    error = caught.value
    assert error.code == "cpr.length" and error.field == "cpr" and error.params == {"count": 8}
    assert error.message == "Et CPR-nummer har 10 cifre; der er 8."  # the API's, Danish
    with translation.override("en"):
        assert error.localized() == "A CPR number has 10 digits; this one has 8."
    with translation.override("da"):
        assert error.localized() == error.message


def test_an_error_page_from_a_domain_error_is_in_english(login, anna):
    response = english(login(anna)).get("/borgere/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "The citizen does not exist, or you do not have access to the citizen." in text
    assert "citizen.not_found" in text and "Borgeren findes ikke" not in text


def test_relations_on_the_citizen_page_are_in_english(login, anna, family):
    client = english(login(anna))
    text = client.get(f"/borgere/{family.liva.uuid}/").content.decode()
    siblings = text[text.index('id="siblings"'):text.index('id="custody-heading"')]
    assert '"Relation">Full sibling</td>' in siblings[:siblings.index("Noah")].rsplit("<tr>")[-1]
    assert '"Relation">Half sibling</td>' in siblings[:siblings.index("Oskar")].rsplit("<tr>")[-1]
    parents = text[text.index('id="parents"'):text.index('id="siblings"')]
    assert '"Relation">Mother</td>' in parents and '"Relation">Father</td>' in parents
    for danish in ("Helsøskende", "Halvsøskende", '"Relation">Mor<', '"Relation">Far<'):
        assert danish not in text
    father = client.get(f"/borgere/{family.father.uuid}/").content.decode()
    household = father[father.index('id="household"'):]
    assert '"Relation">Household member</td>' in household[:household.index("Pia")]
    assert '"Relation">Child</td>' in father and "Samboende" not in father


def test_the_api_stays_danish_for_a_user_who_chose_english(login, anna, family):
    client = english(login(anna))
    response = client.get("/api/v1/people/citizens", {"q": "x"})
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "search.too_short", "field": "q",
        "message": "Skriv mindst to tegn: et navn eller et CPR-nummer."}
    response = client.get("/api/v1/people/citizens", {"q": "0102031235"})
    assert response.json()["error"]["code"] == "cpr.checksum"
    assert response.json()["error"]["message"].startswith("CPR-nummeret består ikke kontrollen")
    body = client.get(f"/api/v1/people/citizens/{family.liva.uuid}/family").json()
    assert {s["relation"] for s in body["siblings"]} == {"Helsøskende", "Halvsøskende"}
    assert {p["relation"] for p in body["parents"]} == {"Mor", "Far"}
    # ... and the page for the same user is English
    assert "Enter at least two characters" in client.get("/borgere/", {"q": "x"}).content.decode()


def test_pages_are_danish_even_when_the_browser_asks_for_english(client, login, anna):
    """Caseworkers' browsers are often set to English; helhed speaks Danish until the user
    chooses English."""
    text = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="da">' in text and "Log ind i helhed" in text
    staff_client = login(anna)
    start = staff_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="da">' in start


def test_anonymous_visitor_cannot_set_the_language(client):
    response = switch_language(client, "en")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# --- the catalogue --------------------------------------------------------------------------

@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(literal: str) -> str:
    value = ast.literal_eval(literal)
    assert isinstance(value, str)
    return value


def parse_po(text: str) -> tuple[dict[str, str], list[Entry]]:
    """A tiny .po reader: the header's fields and the entries (fuzzy flags included)."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry, key = Entry(), ""
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d)\])?) (\".*\")$",
                                   line):
                key = match[1]
                _store(entry, key, match[2], _unquote(match[3]), append=False)
            else:
                _store(entry, key, None, _unquote(line.strip()), append=True)
        entries.append(entry)
    header_entry = entries.pop(0)
    assert header_entry.msgid == "", "the .po must start with its header"
    header = dict(line.split(": ", 1) for line in header_entry.msgstr[0].splitlines())
    return header, entries


def _store(entry: Entry, key: str, index: str | None, value: str, *, append: bool) -> None:
    if key.startswith("msgstr"):
        slot = int(index or 0) if not append else max(entry.msgstr, default=0)
        entry.msgstr[slot] = (entry.msgstr.get(slot, "") if append else "") + value
    elif key in ("msgid", "msgid_plural", "msgctxt"):
        old = (getattr(entry, key) or "") if append else ""
        setattr(entry, key, old + value)


@pytest.fixture(scope="module")
def catalogue() -> tuple[dict[str, str], list[Entry]]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


def test_the_catalogue_is_english_with_english_plurals(catalogue):
    header, entries = catalogue
    assert header["Language"] == "en"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert len(entries) > 300


def test_every_entry_is_translated_and_reviewed(catalogue):
    _, entries = catalogue
    problems = [e.msgid for e in entries if e.obsolete or "fuzzy" in e.flags
                or not e.msgstr or not all(e.msgstr.values())
                or (e.msgid_plural is not None and sorted(e.msgstr) != [0, 1])]
    assert problems == [], "translate these (and remove 'fuzzy') in django.po"


def test_translations_keep_the_placeholders(catalogue):
    _, entries = catalogue
    wrong = [(e.msgid, text) for e in entries for text in e.msgstr.values()
             if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e.msgid))]
    assert wrong == []


def test_the_compiled_catalogue_holds_every_translation(catalogue):
    """The committed .mo is what a machine without gettext serves: it must match the .po."""
    _, entries = catalogue
    with MO_FILE.open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    stale = []
    for e in entries:
        if e.msgid_plural is not None:
            got = [mo.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            want = [e.msgstr[0], e.msgstr[1]]
        elif e.msgctxt is not None:
            got, want = [mo.pgettext(e.msgctxt, e.msgid)], [e.msgstr[0]]
        else:
            got, want = [mo.gettext(e.msgid)], [e.msgstr[0]]
        if got != want:
            stale.append(e.msgid)
    assert stale == [], "run scripts/messages.sh (or compilemessages) and commit django.mo"


def _template_strings(source: str) -> set[str]:
    found: set[str] = set()
    literal = r"(u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\")"
    python = templatize(source)
    for match in re.finditer(rf"\b(?:gettext|_)\({literal}\)", python):
        found.add(_unquote(match[1].removeprefix("u")))
    for match in re.finditer(rf"\bngettext\({literal}, {literal}, ", python):
        found.add(_unquote(match[1].removeprefix("u")))
    return found


def _python_strings(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            first = node.args[1 if name.startswith(("pgettext", "npgettext")) else 0]
            if name in GETTEXT_FUNCTIONS and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found.add(first.value)
    return found


def marked_strings() -> dict[str, str]:
    """Every string marked in the web app's templates and code, and where it is."""
    found: dict[str, str] = {}
    for root in MARKED_SOURCES:
        for path in sorted(root.rglob("*")):
            if "tests" in path.parts or "static" in path.parts:
                continue
            if path.suffix == ".html":
                strings = _template_strings(path.read_text(encoding="utf-8"))
            elif path.suffix == ".py":
                strings = _python_strings(path.read_text(encoding="utf-8"))
            else:
                continue
            found.update(dict.fromkeys(strings, str(path.relative_to(HELHED))))
    return found


def test_every_marked_string_of_the_pages_is_in_the_catalogue(catalogue):
    """Catches a new {% translate %} without running makemessages (no gettext needed)."""
    _, entries = catalogue
    known = {e.msgid for e in entries}
    marked = marked_strings()
    assert len(marked) > 150
    missing = {text: where for text, where in marked.items() if text not in known}
    assert missing == {}, "run scripts/messages.sh and translate the new entries"
