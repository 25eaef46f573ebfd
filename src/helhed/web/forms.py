"""Forms for the pages, with Danish labels and messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from helhed.core.errors import DomainError
from helhed.people.models import ContactDetails
from helhed.web.throttle import LoginThrottle


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Forkert brugernavn eller adgangskode. Kontrollér stavningen og prøv igen."
        ),
        "inactive": _("Din konto er lukket. Kontakt kommunens administrator af helhed."),
        # The same for a username and a client address, existing or not (web/throttle.py).
        "throttled": _(
            "For mange forkerte forsøg. Af sikkerhedshensyn kan du ikke logge ind i "
            "%(minutes)s minutter. Vent og prøv igen, eller kontakt kommunens administrator "
            "af helhed, hvis du har glemt din adgangskode."
        ),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Brugernavn")
        self.fields["password"].label = _("Adgangskode")
        for name, message in (("username", _("Skriv dit brugernavn.")),
                              ("password", _("Skriv din adgangskode."))):
            field: forms.Field = self.fields[name]
            field.error_messages["required"] = message

    def clean(self) -> dict[str, Any]:
        """Django's check of username and password, behind the login throttle."""
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        throttle = LoginThrottle(self.request, username)
        if throttle.locked():
            raise self._throttled()
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            if exc.code == "invalid_login" and throttle.failed():
                raise self._throttled() from exc
            raise
        throttle.succeeded()
        return cleaned

    def _throttled(self) -> ValidationError:
        return ValidationError(self.error_messages["throttled"], code="throttled",
                               params={"minutes": settings.HELHED_LOGIN_WINDOW_MINUTES})


# --- contact details ----------------------------------------------------------------------
# No Django form here: ``people.services.do_set_contact_details`` checks every value (for the
# page and the API alike) and names the field of its error. This only reads the posted form.

CHANNEL_CHOICES = ContactDetails.Channel.choices
EXEMPT_CHECKED = "ja"


@dataclass
class ContactInput:
    """The contact form's values, named as ``do_set_contact_details``' parameters."""

    phone: str = ""
    email: str = ""
    preferred_channel: str = ContactDetails.Channel.DIGITAL_POST
    exempt_from_digital_post: bool = False
    note: str = ""

    @classmethod
    def from_post(cls, post: QueryDict) -> ContactInput:
        return cls(phone=post.get("phone", ""), email=post.get("email", ""),
                   preferred_channel=post.get("preferred_channel", ""),
                   exempt_from_digital_post=post.get("exempt_from_digital_post")
                   == EXEMPT_CHECKED,
                   note=post.get("note", ""))

    @classmethod
    def of(cls, details: ContactDetails | None) -> ContactInput:
        if details is None:
            return cls()
        return cls(phone=details.phone, email=details.email,
                   preferred_channel=details.preferred_channel,
                   exempt_from_digital_post=details.exempt_from_digital_post,
                   note=details.note)


CONTACT_FIELDS = tuple(f.name for f in dataclass_fields(ContactInput))


# --- a domain error on a page -------------------------------------------------------------

def field_errors(error: DomainError | None, fields: Iterable[str],
                 rename: Mapping[str, str] | None = None) -> tuple[dict[str, str], str]:
    """A service's error as a page shows it: next to its field when the form has that
    field (``rename`` maps a service's field name to the form's), else above the form.
    Returns ``(errors by field, form error)``, both in the reader's language."""
    if error is None:
        return {}, ""
    name = (rename or {}).get(str(error.field), str(error.field))
    if error.field is not None and name in set(fields):
        return {name: error.localized()}, ""
    return {}, error.localized()


def parse_date(value: str | None) -> dt.date | None:
    """A date typed as ÅÅÅÅ-MM-DD (an <input type="date">); None if empty or not a date —
    the service then says what is wrong, next to the field."""
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def parse_int(value: str | None) -> int | None:
    """A whole number from a select or field; None if empty or not a number."""
    try:
        return int(value) if value else None
    except ValueError:
        return None
