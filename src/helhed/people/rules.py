"""Input rules for people's data, shared by the services and the API's schemas.

Each rule returns the cleaned value or raises :class:`InvalidInput` with a stable code, a
Danish message (marked with ``gettext_noop``, values in ``params``) and the field. The
services apply every rule (they are the last word, for pages and API alike); the API's
schemas apply the same functions at the edge, so a caller gets the same code whichever
layer notices first.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_noop

from helhed.core import clock, cpr
from helhed.core.errors import InvalidInput
from helhed.people.models import ContactDetails, Guardianship

NAME_MAX = 100
EARLIEST = dt.date(1900, 1, 1)
FAR_FUTURE = dt.timedelta(days=366)
_NAME = re.compile(r"^[^\W\d_]+(?:[ '’.\-]+[^\W\d_]+)*\.?$")
_PHONE = re.compile(r"^(?:\d{8}|\+\d{8,15})$")
_FOUR_DIGITS = re.compile(r"^\d{4}$")
_HOUSE_NUMBER = re.compile(r"^[1-9]\d{0,2}[A-Z]?$")
CHANNELS = tuple(ContactDetails.Channel.values)
SCOPES = tuple(Guardianship.Scope.values)


def parse_cpr(value: str, field: str = "cpr") -> cpr.Cpr:
    """A valid CPR number (demo numbers only where the settings allow them)."""
    from django.conf import settings

    try:
        return cpr.parse(value, allow_synthetic=bool(settings.HELHED_ALLOW_SYNTHETIC_CPR))
    except cpr.CprError as exc:
        raise InvalidInput(exc.code, exc.template, field=field, params=exc.params) from exc


def name(value: str, field: str, *, required: bool = True) -> str:
    """A first, middle or last name: letters, with spaces, hyphens, apostrophes, periods."""
    value = " ".join((value or "").split())
    if not value:
        if required:
            raise InvalidInput("name.empty", gettext_noop("Skriv navnet."), field=field)
        return ""
    if len(value) > NAME_MAX:
        raise InvalidInput("name.too_long", gettext_noop("Navnet må højst være %(max)s tegn."),
                           field=field, params={"max": NAME_MAX})
    if not _NAME.match(value):
        raise InvalidInput(
            "name.characters",
            gettext_noop("Et navn må kun indeholde bogstaver, "
                         "mellemrum, bindestreg, apostrof og punktum."),
            field=field)
    return value


def text(value: str, field: str, *, max_length: int, required: bool = False) -> str:
    """Free text on one line (a schedule, a basis, a note)."""
    value = " ".join((value or "").split())
    if required and not value:
        raise InvalidInput("text.empty", gettext_noop("Feltet skal udfyldes."), field=field)
    if len(value) > max_length:
        raise InvalidInput("text.too_long", gettext_noop("Højst %(max)s tegn."), field=field,
                           params={"max": max_length})
    return value


def phone(value: str, field: str = "phone") -> str:
    """A Danish number (8 digits) or an international one (+ and 8–15 digits); may be empty."""
    compact = re.sub(r"[\s\-]", "", value or "")
    if compact and not _PHONE.match(compact):
        raise InvalidInput(
            "contact.phone",
            gettext_noop("Et telefonnummer er 8 cifre, eller + og landekode og 8–15 cifre i alt."),
            field=field)
    return compact


def email(value: str, field: str = "email") -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        if len(value) > 254:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError as exc:
        raise InvalidInput("contact.email", gettext_noop("E-mailadressen er ikke gyldig."),
                           field=field) from exc
    return value


def channel(value: str, field: str = "preferred_channel") -> str:
    if value not in CHANNELS:
        raise InvalidInput("contact.channel",
                           gettext_noop("Vælg en kontaktform blandt: %(choices)s."), field=field,
                           params={"choices": ", ".join(CHANNELS)})
    return value


def scope(value: str, field: str = "scope") -> str:
    if value not in SCOPES:
        raise InvalidInput("guardianship.scope",
                           gettext_noop("Vælg værgemålets omfang blandt: %(choices)s."),
                           field=field, params={"choices": ", ".join(SCOPES)})
    return value


def date(value: dt.date, field: str) -> dt.date:
    """A date for a registration: not before 1900, not more than a year ahead."""
    if value < EARLIEST:
        raise InvalidInput("date.too_early", gettext_noop("Datoen ligger før 1900."), field=field)
    if value > clock.today() + FAR_FUTURE:
        raise InvalidInput("date.far_future",
                           gettext_noop("Datoen ligger mere end et år ude i fremtiden."),
                           field=field)
    return value


def not_before_birth(value: dt.date, birth_date: dt.date, field: str) -> dt.date:
    if value < birth_date:
        raise InvalidInput("date.before_birth", gettext_noop("Datoen ligger før borgerens fødsel."),
                           field=field)
    return value


def four_digits(value: str, field: str, code: str, message: str) -> str:
    value = (value or "").strip()
    if not _FOUR_DIGITS.match(value):
        raise InvalidInput(code, message, field=field)
    return value


def postcode(value: str, field: str = "postcode") -> str:
    return four_digits(value, field, "address.postcode",
                       gettext_noop("Et postnummer er fire cifre."))


def municipality_code(value: str, field: str = "municipality_code") -> str:
    return four_digits(value, field, "address.municipality_code",
                       gettext_noop("En kommunekode er fire cifre, fx 0751."))


def house_number(value: str, field: str = "house_number") -> str:
    value = (value or "").strip().upper()
    if not _HOUSE_NUMBER.match(value):
        raise InvalidInput("address.house_number",
                           gettext_noop("Et husnummer er et tal fra 1 til 999, "
                                        "evt. med et bogstav (fx 12B)."),
                           field=field)
    return value
