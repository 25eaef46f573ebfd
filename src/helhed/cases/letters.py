"""Decision letters as PDF (ReportLab, A4, its built-in Helvetica).

Helvetica's encoding (WinAnsi, a superset of Latin-1) has æ, ø, å, §, « », – and “ ”; a
character outside it (ł, ≥ …) would print as a black box, so :func:`pdf_safe` replaces it
with its nearest plain letter first.

A letter holds what forvaltningsloven asks of a written decision: who decided (the
municipality, the unit, the caseworker with phone), when, to whom, the decision, its legal
basis (today's paragraph numbering, from the catalogue), the reasons and the complaint
guidance. A recipient with name and address protection gets no address line: the letter
goes only by Digital Post. A child from 10 years (a party under Barnets lov) gets a letter
of its own with an introduction in plain words.

This module renders; it reads no personal data through the door itself: the caller
(``decisions.make_decision``) has asked it for the case and the recipients.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from helhed.cases.models import Decision, Letter
from helhed.people.models import Address, Citizen, Residence

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")
# Letters without a decomposition into a Latin-1 letter and an accent.
_PLAIN = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i",
          "≥": ">=", "≤": "<=", "≠": "!=", "→": "->", "€": "EUR"}

Role = Letter.RecipientRole


def danish_date(day: dt.date) -> str:
    """``22. november 2026``, whatever language is active."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def pdf_safe(text: str) -> str:
    """The text in characters Helvetica can print (WinAnsi)."""
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        if char in _PLAIN:
            out.append(_PLAIN[char])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if not unicodedata.combining(c))
        try:
            base.encode("cp1252")
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def _p(text: str) -> str:
    """Plain text as paragraph markup: escaped, line breaks kept."""
    return escape(pdf_safe(text)).replace("\n", "<br/>")


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


STYLES = {
    "body": ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14.5,
                           spaceAfter=6),
    "small": ParagraphStyle("small", fontName="Helvetica", fontSize=9, leading=12),
    "sender": ParagraphStyle("sender", fontName="Helvetica", fontSize=9, leading=12,
                             alignment=TA_RIGHT),
    "municipality": ParagraphStyle("municipality", fontName="Helvetica-Bold", fontSize=14,
                                   leading=18, alignment=TA_RIGHT),
    "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=16, leading=20,
                            spaceBefore=10, spaceAfter=10),
    "heading": ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=11.5,
                              leading=15, spaceBefore=10, spaceAfter=4),
}


def current_address(citizen: Citizen) -> Address | None:
    residence = (Residence.objects.select_related("address")
                 .filter(citizen=citizen, valid_to__isnull=True).first())
    return residence.address if residence is not None else None


def subject_of(decision: Decision) -> str:
    """What the decision is about, as it reads after "Afgørelse om": the heading without
    a leading "Afgørelse om", starting in lower case (unless it is an abbreviation)."""
    title = decision.title.strip()
    for prefix in ("afgørelse om ", "afgørelse: ", "afgørelse "):
        if title.lower().startswith(prefix):
            title = title[len(prefix):].strip()
            break
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def letter_title(decision: Decision) -> str:
    """``Afgørelse om …`` from the decision's heading."""
    return f"Afgørelse om {subject_of(decision)}"[:200]


def _intro(decision: Decision, recipient: Citizen, role: str) -> list[str]:
    child = decision.case.citizen
    if role == Role.CHILD_PARTY:
        return [
            f"Kære {recipient.first_name}",
            "Du får dette brev, fordi kommunen har besluttet noget, der handler om dig. "
            "Når du er 10 år eller ældre, har du ret til selv at få brevet og til at sige "
            "din mening.",
            "Herunder kan du læse, hvad vi har besluttet, og hvorfor. Nogle af ordene er "
            "svære, fordi loven kræver dem. Du er altid velkommen til at ringe til din "
            "sagsbehandler og spørge, og du må gerne have en voksen, du stoler på, med.",
        ]
    if role == Role.CUSTODY_HOLDER:
        return [f"Kære {recipient.full_name}",
                f"Du får dette brev, fordi du har forældremyndigheden over "
                f"{child.full_name}. Kommunen har truffet en afgørelse om {child.first_name}."]
    if role == Role.GUARDIAN:
        return [f"Kære {recipient.full_name}",
                f"Du får dette brev som værge for {child.full_name}. Kommunen har truffet "
                f"en afgørelse i sagen."]
    return [f"Kære {recipient.full_name}", "Kommunen har truffet en afgørelse i din sag."]


def _outcome_text(decision: Decision) -> str:
    subject = subject_of(decision).rstrip(".")
    texts: dict[str, str] = {
        Decision.Outcome.GRANTED: f"Kommunen har besluttet at bevilge {subject}.",
        Decision.Outcome.PARTLY: f"Kommunen har besluttet delvist at bevilge {subject}.",
        Decision.Outcome.REFUSED: f"Kommunen har besluttet at give afslag på {subject}.",
    }
    return texts.get(decision.outcome, f"Kommunen har truffet afgørelse om {subject}.")


def _child_guidance(decision: Decision) -> str:
    return (f"Hvis du er uenig, kan du klage. Det skal ske senest den "
            f"{danish_date(decision.complaint_deadline)}. Du behøver ikke skrive et brev: "
            f"du kan ringe til din sagsbehandler og sige, at du vil klage. Så sørger vi "
            f"for resten.")


def _contact_line(decision: Decision) -> tuple[str, str]:
    staff = decision.decided_by
    name = staff.user.get_full_name() or staff.user.get_username()
    unit = decision.case.unit or staff.unit
    phone = staff.phone or (unit.phone if unit is not None else "")
    return name, phone


def _header(decision: Decision, recipient: Citizen, role: str) -> list[Paragraph]:
    case = decision.case
    municipality = case.department.municipality.name
    unit = case.unit or decision.decided_by.unit
    decided = timezone.localdate(decision.decided_at)
    sender_lines = [case.department.name] + ([unit.name] if unit is not None else [])
    if unit is not None and unit.phone:
        sender_lines.append(f"Telefon {unit.phone}")
    sender_lines += [f"Dato: {danish_date(decided)}", f"Sagsnummer: {case.number}"]
    flow: list[Paragraph] = [
        Paragraph(_p(municipality), STYLES["municipality"]),
        Paragraph(_p("\n".join(sender_lines)), STYLES["sender"]),
    ]
    lines = [recipient.full_name]
    if recipient.name_protected:
        lines.append("Sendes kun med Digital Post (navne- og adressebeskyttelse).")
    else:
        address = current_address(recipient)
        if address is not None:
            lines.append(str(address).replace(f", {address.postcode}", f"\n{address.postcode}"))
    flow.append(Paragraph(_p("\n".join(lines)), STYLES["body"]))
    if role == Role.CUSTODY_HOLDER or role == Role.GUARDIAN:
        flow.append(Paragraph(_p(f"Vedrørende: {case.citizen.full_name}"), STYLES["small"]))
    return flow


def _body(decision: Decision, recipient: Citizen, role: str) -> list[Paragraph | Spacer]:
    basis = decision.legal_basis
    name, phone = _contact_line(decision)
    flow: list[Paragraph | Spacer] = [Paragraph(_p(letter_title(decision)), STYLES["title"])]
    flow += [Paragraph(_p(text), STYLES["body"]) for text in _intro(decision, recipient, role)]
    flow.append(Paragraph("Afgørelse", STYLES["heading"]))
    flow.append(Paragraph(_p(_outcome_text(decision)), STYLES["body"]))
    flow.append(Paragraph("Lovgrundlag", STYLES["heading"]))
    flow.append(Paragraph(_p(f"Afgørelsen er truffet efter {basis.law} {basis.paragraph} "
                             f"({basis.title})."), STYLES["body"]))
    flow.append(Paragraph("Begrundelse", STYLES["heading"]))
    flow += [Paragraph(_p(text), STYLES["body"]) for text in _paragraphs(decision.reasons)]
    flow.append(Paragraph("Klagevejledning", STYLES["heading"]))
    if role == Role.CHILD_PARTY:
        flow.append(Paragraph(_p(_child_guidance(decision)), STYLES["body"]))
    flow += [Paragraph(_p(text), STYLES["body"])
             for text in _paragraphs(decision.complaint_guidance)]
    flow.append(Paragraph("Har du spørgsmål?", STYLES["heading"]))
    contact = f"Kontakt din sagsbehandler, {name}"
    contact += f", på telefon {phone}." if phone else "."
    flow.append(Paragraph(_p(contact), STYLES["body"]))
    flow.append(Spacer(1, 6 * mm))
    unit = decision.case.unit or decision.decided_by.unit
    signature = ["Med venlig hilsen", "", name] + ([unit.name] if unit is not None else [])
    signature.append(decision.case.department.municipality.name)
    flow.append(Paragraph(_p("\n".join(signature)), STYLES["body"]))
    return flow


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Side {doc.page}")
    canvas.restoreState()


def render_decision_letter(decision: Decision, recipient: Citizen, recipient_role: str) -> bytes:
    """The letter about ``decision`` to ``recipient`` (as ``recipient_role``) as PDF."""
    buffer = io.BytesIO()
    municipality = decision.case.department.municipality.name
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=pdf_safe(letter_title(decision)),
        author=pdf_safe(municipality), subject=pdf_safe(f"Afgørelse, sag {decision.case.number}"),
        creator="helhed", lang="da-DK", displayDocTitle=True)
    story = [*_header(decision, recipient, recipient_role), Spacer(1, 4 * mm),
             *_body(decision, recipient, recipient_role)]
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def filename_for(decision: Decision, recipient_role: str) -> str:
    decided = timezone.localdate(decision.decided_at)
    return f"afgoerelse-{decision.case.number}-{recipient_role}-{decided:%Y%m%d}.pdf"
