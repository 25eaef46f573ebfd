"""Domain errors: a stable ``code`` for machines and a Danish ``message`` for people.

The API turns them into JSON (``{"error": {"code", "message", "field"}}``) with the HTTP
status below: always Danish, whatever language the caller chose. Pages show the message in
the reader's language with :meth:`DomainError.localized`, next to the field or on an error
page.

Messages are written in Danish and marked with ``gettext_noop`` (marked for the catalogue,
not translated when raised). A message with values is a template with named placeholders
(``"der er %(count)s"``) and the values go in ``params``: ``message`` is the Danish text
with the values filled in, and a page translates the template before filling them in.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_noop


def fill(template: str, params: Mapping[str, object]) -> str:
    """``template`` with its ``%(name)s`` placeholders filled in (none: as it is)."""
    return template % dict(params) if params else template


def localize(template: str, params: Mapping[str, object]) -> str:
    """The template in the active language, with the values filled in."""
    from django.utils.translation import gettext

    return fill(gettext(template), params)


class DomainError(Exception):
    status = 400
    code = "error"
    message = gettext_noop("Der skete en fejl.")

    def __init__(self, code: str | None = None, message: str | None = None,
                 field: str | None = None, params: Mapping[str, object] | None = None) -> None:
        self.code = code or type(self).code
        self.template = message or type(self).message
        self.params: dict[str, object] = dict(params or {})
        self.message = fill(self.template, self.params)
        self.field = field
        super().__init__(self.message)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "field": self.field}

    def localized(self) -> str:
        """The message in the active language (for pages; the API keeps ``message``)."""
        return localize(self.template, self.params)


class InvalidInput(DomainError):
    status = 422
    code = "invalid"
    message = gettext_noop("Oplysningerne er ikke gyldige.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = gettext_noop("Det findes ikke, eller du har ikke adgang til det.")


class AccessDenied(DomainError):
    status = 403
    code = "access.denied"
    message = gettext_noop("Du har ikke adgang til dette.")
