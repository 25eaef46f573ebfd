"""A plan version as a PDF letter for one recipient (ReportLab, like ``cases.letters``),
in plain Danish, holding only the sections that recipient may see.

This module renders; it reads nothing through the door itself: the caller
(``plans.services.read_plan_for``) has already chosen the visible sections.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from helhed.cases.letters import danish_date, pdf_safe
from helhed.core import clock
from helhed.plans.models import Plan, Section
from helhed.plans.services import PlanView

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14)
HEADING = ParagraphStyle("heading", parent=BODY, fontName="Helvetica-Bold", fontSize=13,
                         leading=17, spaceBefore=8, spaceAfter=4)
TITLE = ParagraphStyle("title", parent=HEADING, fontSize=16, leading=20)
KIND_TEXT: dict[str, str] = {Plan.Kind.ACTION: "handleplan", Plan.Kind.INTERVENTION: "indsatsplan",
             Plan.Kind.HOLISTIC: "helhedsplan"}


def _p(text: str) -> str:
    return escape(pdf_safe(text)).replace("\n", "<br/>")


def _section(section: Section) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(_p(section.title), HEADING)]
    if section.text:
        out.append(Paragraph(_p(section.text), BODY))
    for goal in section.goals:  # type: ignore[attr-defined]
        out.append(Paragraph(_p(f"Mål: {goal.title} (nået {goal.progress} %)"), BODY))
        for action in goal.action_list:
            when = f", senest {danish_date(action.deadline)}" if action.deadline else ""
            out.append(Paragraph(_p(f"– {action.title}{when}"), BODY))
    return out


def render(view: PlanView) -> bytes:
    """The PDF bytes of the view's version with the view's (already filtered) sections."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm,
                            title=view.plan.title)
    plan, version = view.plan, view.version
    kind = KIND_TEXT.get(plan.kind, plan.kind)
    story: list[Flowable] = [
        Paragraph(_p(f"Til {view.viewer.name}"), BODY),
        Paragraph(_p(danish_date(clock.today())), BODY),
        Spacer(1, 8 * mm),
        Paragraph(_p(f"Din {kind}: {plan.title}"), TITLE),
        Paragraph(_p(f"Dette er version {version.number} af planen. Her står de dele af "
                     "planen, som du skal kende. Har du spørgsmål, så kontakt "
                     f"{plan.responsible}, {plan.department.name}."), BODY),
    ]
    for section in view.sections:
        story.extend(_section(section))
    if not view.sections:
        story.append(Paragraph(_p("Der er ingen dele af planen til dig endnu."), BODY))
    doc.build(story)
    return buffer.getvalue()
