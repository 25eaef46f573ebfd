"""Filing a supplier's answer on the case.

The supplier (a teacher at the school, a day-care leader) has no access to the case and must
not get it: ``cases.documents.upload`` asks ``cases.access.write_case``, which refuses anyone
who is not a caseworker with a basis on the case. Uploading *as the requester* instead would
make the access log and the history say that the caseworker wrote what the school wrote.

So the answer is filed here, on the case the request belongs to and nowhere else, with the
request itself as the authority (``services.answer`` has checked that the actor is the
request's supplier): the journal entry and the document are written with the cases app's
own building blocks — its file checks (``documents.check_file``, judged by content), its
search index and its history (``history.changed``, one row and one event per thing) — and
name the supplier truthfully as author, uploader and actor. The caller holds the
transaction; nothing here asks the door, because the supplier reads nothing of the case.
"""

from __future__ import annotations

import hashlib

from helhed.cases import documents, filetypes, history, search
from helhed.cases.models import (
    Case,
    CitizenDisplay,
    Document,
    DocumentContent,
    JournalEntry,
    SearchEntry,
)
from helhed.core import clock
from helhed.organisation.models import StaffMember
from helhed.sharing.policy import Actor


class CheckedFile:
    """An uploaded file that passed ``cases.documents.check_file`` (before the transaction)."""

    def __init__(self, filename: str, data: bytes) -> None:
        self.name, self.content_type, kind = documents.check_file(filename, data)
        self.data = data
        self.text = filetypes.extract_text(kind, data)


def journal_entry(actor: Actor, staff: StaffMember, case: Case, title: str,
                  text: str) -> JournalEntry:
    entry = JournalEntry.objects.create(
        case=case, kind=JournalEntry.Kind.NOTE, occurred_on=clock.today(), title=title[:200],
        text=text, author=staff, written_at=clock.now(),
        citizen_display=CitizenDisplay.METADATA)
    search.index(SearchEntry.Kind.JOURNAL, entry.uuid, case, entry.title, text)
    history.changed(
        actor, event="cases.journal.entry_added", object_type="journalentry",
        object_uuid=entry.uuid, citizen=case.citizen, case=case, summary=entry.title,
        after=history.snapshot(entry, ("kind", "occurred_on", "title", "citizen_display")),
        payload={"kind": entry.kind})
    return entry


def document(actor: Actor, staff: StaffMember, case: Case, title: str,
             file: CheckedFile) -> Document:
    filed = Document.objects.create(
        case=case, title=title[:200], filename=file.name, content_type=file.content_type,
        size=len(file.data), sha256=hashlib.sha256(file.data).hexdigest(),
        uploaded_at=clock.now(), uploaded_by=staff, text=file.text,
        citizen_display=CitizenDisplay.METADATA)
    DocumentContent.objects.create(document=filed, data=file.data)
    search.index(SearchEntry.Kind.DOCUMENT, filed.uuid, case, filed.title, file.text)
    history.changed(
        actor, event="cases.document.added", object_type="document", object_uuid=filed.uuid,
        citizen=case.citizen, case=case, summary=filed.title,
        after=history.snapshot(filed, documents.DOCUMENT_FIELDS),
        payload={"content_type": file.content_type, "size": len(file.data)})
    return filed
