"""Decision letters as PDF: what a parent and a child read, in Danish, on A4."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from helhed.cases import decisions, letters
from helhed.cases.models import Letter
from helhed.core import clock
from helhed.organisation.models import StaffMember
from helhed.organisation.services import forget
from helhed.people.models import Citizen

from .decision_helpers import NOW, REASONS, open_child_case, pdf_text, pdf_title

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


@pytest.fixture
def decision(anna, family):
    StaffMember.objects.filter(user=anna).update(phone="20 30 40 50")
    forget(anna)
    case = open_child_case(anna, family.liva)
    return decisions.make_decision(
        anna, case.uuid, title="Aflastning i weekender", outcome="bevilget",
        legal_basis_code="bl-32", reasons=REASONS)


def letter_to(decision, citizen: Citizen) -> Letter:
    return Letter.objects.get(decision=decision, recipient=citizen)


def test_the_childs_own_letter_speaks_to_the_child_and_holds_basis_and_guidance(
        anna, family, decision):
    letter, data = decisions.letter_pdf(anna, letter_to(decision, family.liva).uuid)
    text = pdf_text(data)

    assert letter.recipient_role == Letter.RecipientRole.CHILD_PARTY
    assert "Kære Liva" in text
    assert "har besluttet noget, der handler om dig" in text  # plain words for a child
    assert "Liva Ærø Hansen" in text
    assert "Afgørelse om aflastning i weekender" in text
    assert "Barnets lov § 32 (Støttende indsatser)" in text  # today's numbering
    assert "Vi har lagt vægt på Livas egne ønsker" in text
    assert "Klagevejledning" in text and "Ankestyrelsen" in text
    assert "21. december 2026" in text  # four weeks after 23 November
    assert "genvurdering" in text
    assert "du kan ringe til din sagsbehandler og sige, at du vil klage" in text
    assert "Anna Andersen" in text and "20 30 40 50" in text
    assert "Helhed Kommune" in text and "Familieteam Nord" in text
    assert "23. november 2026" in text and decision.case.number in text


def test_a_parents_letter_is_addressed_to_the_parent_about_the_child(anna, family, decision):
    _letter, data = decisions.letter_pdf(anna, letter_to(decision, family.father).uuid)
    text = pdf_text(data)

    assert "Kære Søren Ærø" in text
    assert "forældremyndigheden over Liva Ærø Hansen" in text
    assert "Åboulevarden 3" in text and "9999 Helhedby" in text
    assert "handler om dig" not in text  # the child's introduction is the child's
    assert "Klagevejledning" in text and "§ 32" in text


def test_the_pdf_is_a4_with_a_title_in_its_metadata(anna, family, decision):
    _letter, data = decisions.letter_pdf(anna, letter_to(decision, family.mother).uuid)
    reader = PdfReader(io.BytesIO(data))

    assert data.startswith(b"%PDF")
    assert pdf_title(data) == "Afgørelse om aflastning i weekender"
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points


def test_a_protected_recipient_gets_no_address_line(anna, family):
    Citizen.objects.filter(pk=family.mother.pk).update(name_protected=True)
    case = open_child_case(anna, family.liva)
    decision = decisions.make_decision(anna, case.uuid, title="Aflastning", outcome="bevilget",
                                       legal_basis_code="bl-32", reasons=REASONS)
    _letter, data = decisions.letter_pdf(anna, letter_to(decision, family.mother).uuid)
    text = pdf_text(data)

    assert "Mette Hansen" in text
    assert "Rosenvej" not in text and "9999" not in text
    assert "Sendes kun med Digital Post" in text
    # The other parent's letter does not carry her address either.
    assert "Rosenvej" not in pdf_text(
        decisions.letter_pdf(anna, letter_to(decision, family.father).uuid)[1])


def test_a_refusal_says_so_and_the_title_is_not_doubled(anna, family):
    case = open_child_case(anna, family.liva)
    decision = decisions.make_decision(
        anna, case.uuid, title="Afgørelse om anbringelse", outcome="afslag",
        legal_basis_code="bl-46", reasons="Betingelserne er ikke opfyldt.")
    text = pdf_text(decisions.letter_pdf(anna, letter_to(decision, family.mother).uuid)[1])

    assert "Afgørelse om anbringelse" in text and "Afgørelse om afgørelse" not in text
    assert "Kommunen har besluttet at give afslag på anbringelse." in text


def test_letters_print_names_helvetica_has_no_letter_for():
    assert letters.pdf_safe("Łukasz Żółć ≥ 5, æøå ÆØÅ §") == "Lukasz Zólc >= 5, æøå ÆØÅ §"
    assert letters.danish_date(NOW.date()) == "23. november 2026"


def test_a_recipient_with_a_polish_name_gets_a_readable_letter(anna, family):
    Citizen.objects.filter(pk=family.father.pk).update(first_name="Łukasz")
    case = open_child_case(anna, family.liva)
    decision = decisions.make_decision(anna, case.uuid, title="Aflastning", outcome="bevilget",
                                       legal_basis_code="bl-32", reasons=REASONS)
    text = pdf_text(letter_to(decision, Citizen.objects.get(pk=family.father.pk)).pdf)

    assert "Kære Lukasz Ærø" in text and "■" not in text
