"""Danish full-text search across the journal and the documents of cases (``SearchEntry``).

Every journal entry and every document has one ``SearchEntry`` (title and text), written
by :func:`index` in the same transaction as the entry or document, and removed by
:func:`unindex` when a document is marked as wrongly filed.

The two engines (migration ``0002_full_text_search``):

- **PostgreSQL**: a GIN index on ``to_tsvector('danish', title || ' ' || body)``; the
  query goes through ``websearch_to_tsquery('danish', …)``, so Danish stemming applies
  ("undersøgelser" finds "undersøgelse"), stop words are ignored, and quotes, ``or`` and
  ``-`` work as on a web search engine. Snippets come from ``ts_headline``.
- **SQLite** (embedded): an FTS5 table ``cases_searchentry_fts`` (external content on
  ``cases_searchentry``, kept in sync by triggers; tokenizer ``unicode61
  remove_diacritics 0``, so æ, ø and å are letters of their own). There is no Danish
  stemmer: each word of the query matches words that *begin* with it ("undersøg" finds
  "undersøgelse", but "undersøgelser" does not find "undersøgelse"). Snippets come from
  FTS5's ``snippet()``.

A query is user input: on SQLite only its words are used, each quoted, so FTS5 syntax in
it (``AND``, ``"``, ``(``) is plain text; on PostgreSQL ``websearch_to_tsquery`` never
fails on syntax.

Only hits in cases the actor may read are returned: the door is asked once per case that
has a hit (``sharing.policy.decide``, action "search", detail "søgning"), which logs the
look, allowed or refused.
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from helhed.cases import access
from helhed.cases.models import Case, SearchEntry
from helhed.cases.services import CaseNotFound
from helhed.core.errors import InvalidInput
from helhed.sharing import policy
from helhed.sharing.policy import Actor, Category, Purpose

MIN_QUERY = 2
MAX_QUERY = 100
MAX_WORDS = 12
DETAIL = "søgning"
# Hits are found first and then filtered by the door; this many candidates are looked at
# per search (at least), so a page of hits survives a fair share of refused cases.
CANDIDATES = 200
FTS_TABLE = "cases_searchentry_fts"
# Private-use characters that mark hits in a snippet until it is HTML-escaped; the index
# never contains them (``filetypes.clean_text``).
START, STOP = "\ue000", "\ue001"
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


class QueryTooShort(InvalidInput):
    code = "search.too_short"
    message = gettext_noop("Skriv mindst 2 tegn for at søge.")


class QueryTooLong(InvalidInput):
    code = "search.too_long"
    message = gettext_noop("Søgningen må højst være 100 tegn.")


@dataclass(frozen=True)
class Hit:
    """One journal entry or document that matches, in a case the actor may read."""

    kind: str  # SearchEntry.Kind: "journal" or "dokument"
    object_uuid: uuid.UUID
    case_uuid: uuid.UUID
    case_number: str
    case_title: str
    citizen_name: str
    title: str
    snippet: SafeString  # HTML-escaped text with <mark> around the words found
    rank: float

    @property
    def kind_label(self) -> str:
        return str(SearchEntry.Kind(self.kind).label)


# --- keeping the index --------------------------------------------------------------------

def _clean(text: str) -> str:
    from helhed.cases.filetypes import clean_text

    return clean_text(text or "")


def index(kind: str, object_uuid: uuid.UUID, case: Case, title: str, body: str) -> None:
    """Insert or update the search entry of one journal entry or document. Call it inside
    the transaction that writes the entry or document."""
    if kind not in SearchEntry.Kind.values:
        raise ValueError(f"unknown search entry kind {kind!r}")
    values: dict[str, Any] = {"kind": kind, "case": case, "title": _clean(title)[:200],
                              "body": _clean(body)}
    try:
        with transaction.atomic():
            SearchEntry.objects.update_or_create(object_uuid=object_uuid, defaults=values)
    except DatabaseError:
        # PostgreSQL refuses a tsvector above 1 MB: index the beginning rather than fail.
        values["body"] = values["body"][:50_000]
        SearchEntry.objects.update_or_create(object_uuid=object_uuid, defaults=values)


def unindex(object_uuid: uuid.UUID) -> None:
    """Remove an entry from search (the journal entry or document itself stays)."""
    SearchEntry.objects.filter(object_uuid=object_uuid).delete()


# --- searching ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Row:
    case_id: int
    kind: str
    object_uuid: uuid.UUID
    title: str
    snippet: str
    rank: float


def _fts5_query(query: str) -> str:
    """Each word quoted (so nothing in it is FTS5 syntax) and matched as a prefix."""
    words = _WORD.findall(query)[:MAX_WORDS]
    return " ".join(f'"{w}"*' for w in words)


SQLITE_SQL = f"""
    SELECT e.case_id, e.kind, e.object_uuid, e.title,
           snippet({FTS_TABLE}, -1, %s, %s, '…', 16), bm25({FTS_TABLE})
    FROM {FTS_TABLE} JOIN cases_searchentry e ON e.id = {FTS_TABLE}.rowid
    WHERE {FTS_TABLE} MATCH %s {{case_filter}}
    ORDER BY bm25({FTS_TABLE}) LIMIT %s
"""  # noqa: S608 - only constants are formatted in; values are parameters

POSTGRES_SQL = """
    SELECT found.case_id, found.kind, found.object_uuid, found.title,
           ts_headline('danish', found.title || ' ' || found.body, found.q, %s),
           found.rank
    FROM (
        SELECT e.case_id, e.kind, e.object_uuid, e.title, e.body, q,
               ts_rank(to_tsvector('danish', e.title || ' ' || e.body), q) AS rank
        FROM cases_searchentry e, websearch_to_tsquery('danish', %s) q
        WHERE to_tsvector('danish', e.title || ' ' || e.body) @@ q {case_filter}
        ORDER BY rank DESC, e.id LIMIT %s
    ) found
    ORDER BY found.rank DESC
"""
HEADLINE_OPTIONS = (f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, "
                    "MaxFragments=2, FragmentDelimiter=\" … \"")


def _candidates(query: str, case_id: int | None, limit: int) -> list[_Row]:
    case_filter = "AND e.case_id = %s" if case_id is not None else ""
    extra: list[Any] = [case_id] if case_id is not None else []
    if connection.vendor == "postgresql":
        sql = POSTGRES_SQL.format(case_filter=case_filter)
        params: list[Any] = [HEADLINE_OPTIONS, query, *extra, limit]
        sign = 1.0
    else:
        match = _fts5_query(query)
        if not match:
            return []
        sql = SQLITE_SQL.format(case_filter=case_filter)
        params = [START, STOP, match, *extra, limit]
        sign = -1.0  # bm25: lower is better
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_Row(int(r[0]), str(r[1]), uuid.UUID(str(r[2])), str(r[3]), str(r[4] or ""),
                 sign * float(r[5] or 0.0)) for r in rows]


def highlight(raw: str) -> SafeString:
    """A snippet with hit markers as HTML: escaped, with ``<mark>`` around the hits."""
    text = html.escape(_SPACE.sub(" ", raw).strip())
    marked = text.replace(START, "<mark>").replace(STOP, "</mark>")
    if marked.count("<mark>") != marked.count("</mark>"):  # never expected; stay valid HTML
        marked = text.replace(START, "").replace(STOP, "")
    return mark_safe(marked)  # noqa: S308 - escaped above; only our own tags added


class _Door:
    """Asks the door once per case, when the case's first hit comes up; each decision is
    logged (allowed or refused)."""

    def __init__(self, actor: Actor, case_ids: list[int]) -> None:
        self.actor = actor
        self.cases = Case.objects.select_related("citizen", "department").in_bulk(case_ids)
        self.decided: dict[int, bool] = {}

    def readable(self, case_id: int) -> Case | None:
        case = self.cases.get(case_id)
        if case is None:
            return None
        if case_id not in self.decided:
            self.decided[case_id] = policy.decide(
                self.actor, Purpose.CASEWORK, case.citizen.uuid, Category.CASE_CONTENT,
                action="search", detail=DETAIL, scope=access.scope_of(case)).allowed
        return case if self.decided[case_id] else None


def _clean_query(query: str) -> str:
    text = _SPACE.sub(" ", (query or "").translate({0: None, 0xE000: None, 0xE001: None}))
    text = text.strip()
    if len(text) < MIN_QUERY:
        raise QueryTooShort(field="q")
    if len(text) > MAX_QUERY:
        raise QueryTooLong(field="q")
    return text


def search(actor: Actor, query: str, *, case_uuid: uuid.UUID | str | None = None,
           limit: int = 50) -> list[Hit]:
    """Journal entries and documents matching ``query``, best first, in cases the actor
    may read (``case_uuid``: only in that case). See the module's docstring for how the
    two engines differ."""
    access.caseworker(actor)
    text = _clean_query(query)
    case_id = None
    if case_uuid is not None and case_uuid != "":
        case = _case(case_uuid)
        access.read_case(actor, case, detail=DETAIL)
        case_id = case.pk
    limit = max(1, min(limit, 200))
    rows = _candidates(text, case_id, max(CANDIDATES, limit * 4))
    door = _Door(actor, list({r.case_id for r in rows}))
    if case_id is not None:
        door.decided[case_id] = True  # asked (and logged) above
    hits: list[Hit] = []
    for row in rows:
        found = door.readable(row.case_id)
        if found is None:
            continue
        hits.append(Hit(kind=row.kind, object_uuid=row.object_uuid, case_uuid=found.uuid,
                        case_number=found.number, case_title=found.title,
                        citizen_name=found.citizen.full_name, title=row.title,
                        snippet=highlight(row.snippet), rank=row.rank))
        if len(hits) >= limit:
            break
    return hits


def case_scope(actor: Actor, case_uuid: uuid.UUID | str) -> Case:
    """The case a search is limited to (for the search page's heading), through the door."""
    access.caseworker(actor)
    case = _case(case_uuid)
    access.read_case(actor, case, detail=DETAIL)
    return case


def _case(case_uuid: uuid.UUID | str) -> Case:
    try:
        key = uuid.UUID(str(case_uuid))
    except ValueError:
        raise CaseNotFound(field="case") from None
    case = Case.objects.select_related("citizen", "department").filter(uuid=key).first()
    if case is None:
        raise CaseNotFound(field="case")
    return case
