"""Structured answers: the forms for the data needs whose answer has a shape.

- Absence (``fravaer``): school and day-care absence (SEL § 50 nr. 14 and 15) as the absence
  percentage per month, ``[{"month": "2025-01", "percent": 12.5}, …]``; every month lies in
  the period asked about, no month twice, 0 ≤ percent ≤ 100.
- Admissions (``indlaeggelser``): hospital admissions and outpatient treatment (SEL § 85
  nr. 6) as ``[{"from": "2025-01-03", "to": "2025-01-10", "ward": "…"}, …]``; ``to`` may be
  empty (still admitted), ``from`` ≤ ``to``, not in the future, overlapping the period.

Other needs are answered in free text (and a document).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.utils.translation import gettext_noop

from helhed.catalogue.models import DataNeed
from helhed.core.errors import InvalidInput

ABSENCE = "fravaer"
ADMISSIONS = "indlaeggelser"
STRUCTURED_NEEDS = {
    ("SEL § 50", 14): ABSENCE,
    ("SEL § 50", 15): ABSENCE,
    ("SEL § 85", 6): ADMISSIONS,
}
MAX_ROWS = 60
MAX_WARD = 200
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")


def kind_of(need: DataNeed) -> str:
    """``fravaer``, ``indlaeggelser`` or ``""`` (free text)."""
    return STRUCTURED_NEEDS.get((need.paragraph, need.number), "")


def _bad(code: str, message: str, row: int, **params: object) -> InvalidInput:
    return InvalidInput(code, message, field="structured", params={"row": row, **params})


def _is_blank(row: dict[str, Any]) -> bool:
    return all(not str(v or "").strip() for v in row.values())


def month_label(month: str) -> str:
    """"2025-01" → "januar 2025"."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def _month(value: Any, row: int) -> dt.date:
    try:
        year, number = str(value or "").strip().split("-")
        return dt.date(int(year), int(number), 1)
    except ValueError:
        raise _bad("assessment.month_invalid",
                   gettext_noop("Række %(row)s: skriv måneden som ÅÅÅÅ-MM, fx 2025-01."),
                   row) from None


def _percent(value: Any, row: int, month: str) -> float:
    try:
        number = decimal.Decimal(str(value).strip().replace(",", ".").rstrip("%").strip())
    except (decimal.InvalidOperation, ValueError):
        number = decimal.Decimal("NaN")
    if number.is_nan() or not decimal.Decimal(0) <= number <= decimal.Decimal(100):
        raise _bad("assessment.percent_invalid",
                   gettext_noop("%(month)s: fraværet skal være et tal mellem 0 og 100."),
                   row, month=month)
    return float(round(number, 1))


def _absence(rows: list[dict[str, Any]], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    out: dict[str, float] = {}
    first = start.replace(day=1)
    for index, row in enumerate(rows, start=1):
        month = _month(row.get("month"), index)
        key = f"{month:%Y-%m}"
        if not first <= month <= end:
            raise _bad("assessment.month_outside_period",
                       gettext_noop("Række %(row)s: %(month)s ligger uden for perioden "
                                    "%(start)s–%(end)s."),
                       index, month=month_label(key), start=f"{start:%d.%m.%Y}",
                       end=f"{end:%d.%m.%Y}")
        if key in out:
            raise _bad("assessment.month_repeated",
                       gettext_noop("Række %(row)s: %(month)s står der allerede."),
                       index, month=month_label(key))
        out[key] = _percent(row.get("percent"), index, month_label(key))
    return [{"month": k, "percent": out[k]} for k in sorted(out)]


def _date(value: Any, row: int, *, required: bool) -> dt.date | None:
    text = str(value or "").strip()
    if not text and not required:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _bad("assessment.date_invalid",
                   gettext_noop("Række %(row)s: skriv datoen som ÅÅÅÅ-MM-DD."), row) from None


def _admissions(rows: list[dict[str, Any]], start: dt.date, end: dt.date,
                today: dt.date) -> list[dict[str, Any]]:
    out = []
    for index, row in enumerate(rows, start=1):
        begin = _date(row.get("from"), index, required=True)
        assert begin is not None
        until = _date(row.get("to"), index, required=False)
        ward = str(row.get("ward") or "").strip()
        if until is not None and until < begin:
            raise _bad("assessment.dates_order",
                       gettext_noop("Række %(row)s: udskrivningen ligger før indlæggelsen."),
                       index)
        if begin > today or (until is not None and until > today):
            raise _bad("assessment.date_in_future",
                       gettext_noop("Række %(row)s: datoen ligger i fremtiden."), index)
        if begin > end or (until or today) < start:
            raise _bad("assessment.admission_outside_period",
                       gettext_noop("Række %(row)s: indlæggelsen ligger uden for perioden "
                                    "%(start)s–%(end)s."),
                       index, start=f"{start:%d.%m.%Y}", end=f"{end:%d.%m.%Y}")
        if not ward:
            raise _bad("assessment.ward_required",
                       gettext_noop("Række %(row)s: skriv afdelingen."), index)
        if len(ward) > MAX_WARD:
            raise _bad("assessment.ward_too_long",
                       gettext_noop("Række %(row)s: højst 200 tegn."), index)
        out.append({"from": begin.isoformat(), "to": until.isoformat() if until else None,
                    "ward": ward})
    return sorted(out, key=lambda r: (r["from"], r["to"] or "9999"))


def validate(kind: str, rows: Any, start: dt.date, end: dt.date,
             today: dt.date) -> list[dict[str, Any]]:
    """The rows, checked and normalised (blank rows dropped, sorted); ``InvalidInput``
    with field ``structured`` naming the row at fault."""
    if rows in (None, "", []):
        return []
    if not kind:
        raise InvalidInput("assessment.structured_not_expected",
                           gettext_noop("Dette databehov besvares med tekst og dokumenter."),
                           field="structured")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InvalidInput("assessment.structured_invalid",
                           gettext_noop("De strukturerede oplysninger skal være en liste af "
                                        "rækker."), field="structured")
    rows = [r for r in rows if not _is_blank(r)]
    if len(rows) > MAX_ROWS:
        raise InvalidInput("assessment.structured_too_many",
                           gettext_noop("Højst %(max)s rækker."), field="structured",
                           params={"max": MAX_ROWS})
    if kind == ABSENCE:
        return _absence(rows, start, end)
    return _admissions(rows, start, end, today)


def as_text(kind: str, rows: list[dict[str, Any]]) -> str:
    """The rows as the journal entry shows them (Danish)."""
    if not rows:
        return ""
    if kind == ABSENCE:
        lines = [f"- {month_label(r['month'])}: {str(r['percent']).replace('.', ',')} %"
                 for r in rows]
        return "Fravær pr. måned:\n" + "\n".join(lines)
    lines = []
    for r in rows:
        begin = dt.date.fromisoformat(r["from"])
        until = (f"{dt.date.fromisoformat(r['to']):%d.%m.%Y}" if r["to"]
                 else "fortsat indlagt")
        lines.append(f"- {begin:%d.%m.%Y}–{until}: {r['ward']}")
    return "Indlæggelser og ambulant behandling:\n" + "\n".join(lines)


def months_in(start: dt.date, end: dt.date, limit: int = 36) -> list[tuple[str, str]]:
    """The months of a period as (``YYYY-MM``, "januar 2025"), for the absence form."""
    out: list[tuple[str, str]] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month) and len(out) < limit:
        key = f"{year:04d}-{month:02d}"
        out.append((key, month_label(key)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
