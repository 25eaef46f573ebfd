"""Forms for the pages, with Danish labels and messages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Forkert brugernavn eller adgangskode. Kontrollér stavningen og prøv igen."
        ),
        "inactive": _("Din konto er lukket. Kontakt kommunens administrator af helhed."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Brugernavn")
        self.fields["password"].label = _("Adgangskode")
        for name, message in (("username", _("Skriv dit brugernavn.")),
                              ("password", _("Skriv din adgangskode."))):
            field: forms.Field = self.fields[name]
            field.error_messages["required"] = message
