"""Small template helpers for the pages: ages, periods and DKFDS icons."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from helhed.core import clock

register = template.Library()


@register.filter
def age(citizen: Any) -> int | str:
    """The citizen's age in whole years today (by the helhed clock)."""
    if citizen is None or getattr(citizen, "birth_date", None) is None:
        return ""
    return int(citizen.age_on(clock.today()))


def _short(day: dt.date) -> str:
    return date_format(day, "d.m.Y")


@register.filter
def period(row: Any) -> str:
    """'fra 01.05.2019' for a current row, '01.05.2019–31.12.2020' for an ended one."""
    start = getattr(row, "valid_from", None)
    end = getattr(row, "valid_to", None)
    if start is None:
        return ""
    if end is None:
        return _("fra %(start)s") % {"start": _short(start)}
    return f"{_short(start)}–{_short(end)}"


@register.inclusion_tag("components/icon.html")
def icon(name: str, label: str = "", classes: str = "") -> dict[str, str]:
    """A DKFDS icon from the vendored sprite; decorative unless ``label`` is given."""
    return {"href": f"{static('dkfds/img/all-svg-icons.svg')}#{name}", "label": label,
            "classes": classes}
