"""Loading KL's emneplan: the shipped subset, idempotent reloads, expiry, refusals."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from helhed.catalogue import kle, kle_xml
from helhed.catalogue.models import (
    ActionFacet,
    KleGroup,
    KleLegalReference,
    KleMainGroup,
    KleSubject,
)
from helhed.core.errors import InvalidInput
from helhed.core.models import OutboxEvent

pytestmark = pytest.mark.usefixtures("kle_subset")

MODELS = (KleMainGroup, KleGroup, KleSubject, KleLegalReference, ActionFacet,
          KleSubject.facets.through)


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {m.__name__: sorted(map(tuple, m.objects.values_list())) for m in MODELS}


def edited_subset(tmp_path: Path, published: str, drop: str = "",
                  retitle: tuple[str, str] | None = None) -> Path:
    """The shipped subset with a new publication date, one subject removed or renamed."""
    root = kle_xml.read_tree(kle.SUBSET.read_bytes())
    root.find("UdgivelsesDato").text = published  # type: ignore[union-attr]
    for group in root.iter("Gruppe"):
        for subject in group.findall("Emne"):
            if subject.findtext("EmneNr") == drop:
                group.remove(subject)
            if retitle and subject.findtext("EmneNr") == retitle[0]:
                subject.find("EmneTitel").text = retitle[1]  # type: ignore[union-attr]
    path = tmp_path / "emneplan.xml"
    path.write_bytes(ET.tostring(root, encoding="utf-8"))
    return path


def test_the_shipped_subset_has_the_five_main_groups_81_groups_and_463_subjects() -> None:
    plan = kle_xml.parse_plan(kle.SUBSET.read_bytes())
    assert (len(plan.main_groups), len(plan.groups), len(plan.subjects)) == (5, 81, 463)
    assert [m.number for m in plan.main_groups] == ["15", "27", "29", "32", "34"]
    assert plan.published == dt.date(2025, 5, 1)
    assert (KleMainGroup.objects.count(), KleGroup.objects.count(),
            KleSubject.objects.count()) == (5, 81, 463)
    assert KleLegalReference.objects.count() == 1032 + 33
    assert ActionFacet.objects.filter(number="G01").exists()


def test_a_subject_carries_retention_deletion_references_and_guidance() -> None:
    subject = KleSubject.objects.get(number="34.10.30")
    assert subject.title == "Underretninger"
    assert (subject.retention, subject.deletion_period, subject.deletion_days) == (
        "B", "P3650D", 3650)
    assert subject.group.number == "34.10" and subject.group.main_group.number == "34"
    assert "Skærpet underretningspligt" in subject.guidance and "<" not in subject.guidance
    assert ("LBK af barnets lov", "§ 132-138") in [
        (r.law, r.paragraph) for r in subject.references.all()]
    assert subject.uuid is not None and subject.valid_to is None


def test_loading_the_same_file_twice_changes_nothing() -> None:
    before = snapshot()
    first = kle.load_file(kle.SUBSET)
    second = kle.load_file(kle.SUBSET)
    assert snapshot() == before
    assert not first.changed_anything and not second.changed_anything
    assert not OutboxEvent.objects.filter(type="catalogue.kle.loaded").exists()


def test_a_newer_file_without_a_subject_marks_it_expired(tmp_path: Path) -> None:
    path = edited_subset(tmp_path, "2025-11-01", drop="34.10.30",
                         retitle=("34.10.10", "Screening og børnefaglig undersøgelse"))
    result = kle.load_file(path, actor="hanne")
    gone = KleSubject.objects.get(number="34.10.30")
    assert gone.valid_to == dt.date(2025, 11, 1)
    assert gone.references.count() == 2, "an expired subject keeps what it had"
    assert KleSubject.objects.get(number="34.10.10").title == (
        "Screening og børnefaglig undersøgelse")
    assert (result.expired, result.changed, result.created) == ({"34.10.30"}, {"34.10.10"}, set())
    event = OutboxEvent.objects.get(type="catalogue.kle.loaded")
    assert event.actor == "hanne" and event.sensitivity == "ikke_fortrolig"
    assert event.payload | {"expired": 1, "changed": 1, "subjects": 462} == event.payload
    assert kle.resolve("34.10.30") == gone, "old cases still resolve their number"
    with pytest.raises(InvalidInput) as refused:
        kle.resolve("34.10.30", on=dt.date(2025, 12, 1))
    assert refused.value.code == "kle.expired"


def test_a_subject_that_comes_back_is_in_force_again(tmp_path: Path) -> None:
    kle.load_file(edited_subset(tmp_path, "2025-11-01", drop="34.10.30"))
    kle.load_file(kle.SUBSET)
    assert KleSubject.objects.get(number="34.10.30").valid_to is None


def test_a_load_that_fails_halfway_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    path = edited_subset(tmp_path, "2025-11-01", drop="34.10.30",
                         retitle=("34.10.10", "Noget nyt"))
    before = snapshot()

    def fail(*args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(kle, "_sync_facets", fail)
    with pytest.raises(RuntimeError):
        kle.load_file(path)
    assert snapshot() == before
    assert not OutboxEvent.objects.filter(type="catalogue.kle.loaded").exists()


BAD_FILES = {
    "malformed": (b"<KLE-Emneplan><UdgivelsesDato>2025-05-01</Udgivelses", "kle.malformed",
                  "kan ikke læses som XML"),
    "wrong root": (b"<Sag><Titel>Ikke en emneplan</Titel></Sag>", "kle.wrong_format",
                   "ikke en KLE-emneplan"),
    "doctype entity": (b'<?xml version="1.0"?><!DOCTYPE KLE-Emneplan [<!ENTITY x "xx">]>'
                       b"<KLE-Emneplan><UdgivelsesDato>&x;</UdgivelsesDato></KLE-Emneplan>",
                       "kle.doctype", "DOCTYPE"),
    "external entity": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM '
                        b'"file:///etc/passwd">]><KLE-Emneplan>&e;</KLE-Emneplan>',
                        "kle.doctype", "sikkerhedshensyn"),
    "no main groups": (b"<KLE-Emneplan><UdgivelsesDato>2025-05-01</UdgivelsesDato>"
                       b"</KLE-Emneplan>", "kle.invalid", "ingen hovedgrupper"),
    "bad number": (b"<KLE-Emneplan><UdgivelsesDato>2025-05-01</UdgivelsesDato><Hovedgruppe>"
                   b"<HovedgruppeNr>3X</HovedgruppeNr><HovedgruppeTitel>T</HovedgruppeTitel>"
                   b"</Hovedgruppe></KLE-Emneplan>", "kle.invalid", "ikke et gyldigt nummer"),
}


@pytest.mark.parametrize(("content", "code", "danish"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_in_danish_and_nothing_is_written(
        tmp_path: Path, content: bytes, code: str, danish: str) -> None:
    path = tmp_path / "emneplan.xml"
    path.write_bytes(content)
    before = snapshot()
    with pytest.raises(InvalidInput) as refused:
        kle.load_file(path)
    assert refused.value.code == code and danish in refused.value.message
    with pytest.raises(CommandError, match=code):
        call_command("load_kle", str(path))
    assert snapshot() == before
    assert not OutboxEvent.objects.exists()


def test_the_command_loads_a_file_and_reports_in_danish(tmp_path: Path, capsys) -> None:
    call_command("load_kle", str(edited_subset(tmp_path, "2025-11-01", drop="34.10.30")))
    out = capsys.readouterr().out
    assert "5 hovedgrupper, 81 grupper, 462 emner" in out and "udgåede: 1" in out


def test_the_command_names_a_missing_file() -> None:
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("load_kle", "/no/such/emneplan.xml")


FACETS = """<?xml version="1.0" encoding="UTF-8"?>
<KLE-Handlingsfacetter><UdgivelsesDato>2025-05-01</UdgivelsesDato>
  <HandlingsfacetKategori><HandlingsfacetKategoriNr>G</HandlingsfacetKategoriNr>
    <HandlingsfacetKategoriTitel>Generelle</HandlingsfacetKategoriTitel>
    <Handlingsfacet><HandlingsfacetNr>G01</HandlingsfacetNr>
      <HandlingsfacetTitel>Generelle sager</HandlingsfacetTitel>
      <HandlingsfacetAdministrativInfo><OprettetDato>1988-01-01</OprettetDato>
      </HandlingsfacetAdministrativInfo></Handlingsfacet>
  </HandlingsfacetKategori></KLE-Handlingsfacetter>"""


def test_kls_facet_file_gives_the_facets_their_titles(tmp_path: Path) -> None:
    path = tmp_path / "facetter.xml"
    path.write_text(FACETS, encoding="utf-8")
    kle.load_file(path)
    g01 = ActionFacet.objects.get(number="G01")
    assert (g01.title, g01.category, g01.valid_to) == ("Generelle sager", "G Generelle", None)
    assert ActionFacet.objects.get(number="K09").valid_to == dt.date(2025, 5, 1), (
        "facets the facet file does not list are expired")
    assert OutboxEvent.objects.filter(type="catalogue.kle_facets.loaded").count() == 1
