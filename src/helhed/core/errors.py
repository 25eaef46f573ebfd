"""Domain errors: a stable ``code`` for machines and a Danish ``message`` for people.

The API turns them into JSON (``{"error": {"code", "message", "field"}}``) with the HTTP
status below; pages show the message next to the field or on an error page.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "error"
    message = "Der skete en fejl."

    def __init__(self, code: str | None = None, message: str | None = None,
                 field: str | None = None) -> None:
        self.code = code or type(self).code
        self.message = message or type(self).message
        self.field = field
        super().__init__(self.message)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "field": self.field}


class InvalidInput(DomainError):
    status = 422
    code = "invalid"
    message = "Oplysningerne er ikke gyldige."


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = "Det findes ikke, eller du har ikke adgang til det."


class AccessDenied(DomainError):
    status = 403
    code = "access.denied"
    message = "Du har ikke adgang til dette."
