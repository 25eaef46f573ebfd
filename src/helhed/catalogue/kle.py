"""KLE in helhed: loading KL's published files, and looking numbers up.

``load_file`` reads an emneplan (or KL's facet file) and brings the tables up to date in one
transaction: new entries are created, changed ones updated, and entries the file no longer
has are marked expired (``valid_to`` = the file's publication date), never deleted — cases
keep the numbers they were classified by. Loading the same file again changes nothing and
emits nothing; a load that changes something emits one ``catalogue.kle.loaded`` event.

``resolve("34.10.30")`` returns the subject, ``resolve("34.10")`` the group and
``resolve("34")`` the main group: a case may be tagged at any of the three levels.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext_noop

from helhed.catalogue import kle_xml
from helhed.catalogue.models import (
    ActionFacet,
    KleGroup,
    KleLegalReference,
    KleMainGroup,
    KleSubject,
)
from helhed.core.errors import InvalidInput
from helhed.core.events import emit
from helhed.core.models import Sensitivity

SUBSET = Path(__file__).resolve().parent / "data" / "kle-emneplan-subset.xml"
NUMBER = re.compile(r"^\d{2}(\.\d{2}){0,2}$")
LEVELS: dict[int, type[KleMainGroup] | type[KleGroup] | type[KleSubject]] = {
    1: KleMainGroup, 2: KleGroup, 3: KleSubject}
KleNode = KleMainGroup | KleGroup | KleSubject
M = TypeVar("M", bound=models.Model)


@dataclass
class LoadResult:
    published: dt.date
    counts: dict[str, int]
    created: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    expired: set[str] = field(default_factory=set)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.changed or self.expired
                    or self.counts.get("new_facets"))

    def payload(self) -> dict[str, Any]:
        return {"published": self.published.isoformat(), **self.counts,
                "created": len(self.created), "changed": len(self.changed),
                "expired": len(self.expired)}


# --- looking up ---------------------------------------------------------------------------

def resolve(number: str, *, on: dt.date | None = None) -> KleNode:
    """The main group, group or subject with this number; ``on`` also requires it to be in
    force that day (for tagging a new case)."""
    text = (number or "").strip()
    if not NUMBER.match(text):
        raise InvalidInput("kle.number", gettext_noop(
            "Et KLE-nummer skrives NN, NN.NN eller NN.NN.NN, fx 34.10.30."))
    node = LEVELS[text.count(".") + 1].objects.filter(number=text).first()
    if node is None:
        raise InvalidInput("kle.unknown", gettext_noop(
            "KLE-nummeret %(number)s findes ikke i emneplanen."), params={"number": text})
    if on is not None and not node.is_valid_on(on):
        raise InvalidInput("kle.expired", gettext_noop(
            "KLE-nummeret %(number)s gælder ikke den %(day)s."),
            params={"number": text, "day": on.isoformat()})
    return node


# --- loading ------------------------------------------------------------------------------

def load_file(path: Path | str, *, actor: str = "system") -> LoadResult:
    try:
        data = Path(path).read_bytes()
    except OSError:
        raise InvalidInput("kle.unreadable", gettext_noop(
            "Filen %(path)s findes ikke eller kan ikke læses."), params={"path": str(path)}
        ) from None
    parsed = kle_xml.parse(data)
    if isinstance(parsed, kle_xml.FacetList):
        return load_facets(parsed, actor=actor)
    return load_plan(parsed, actor=actor)


@transaction.atomic
def load_plan(plan: kle_xml.Plan, *, actor: str = "system") -> LoadResult:
    result = LoadResult(plan.published, {"main_groups": len(plan.main_groups),
                                         "groups": len(plan.groups),
                                         "subjects": len(plan.subjects)})
    facets = _ensure_facets({f for s in plan.subjects for f in s.facets}, result)
    mains = _upsert(KleMainGroup, {e.number: _fields(e) for e in plan.main_groups},
                    plan.published, result)
    groups = _upsert(KleGroup, {e.number: {**_fields(e), "main_group_id": mains[e.number[:2]].pk}
                                for e in plan.groups}, plan.published, result)
    subjects = _upsert(KleSubject, {e.number: _subject_fields(e, groups) for e in plan.subjects},
                       plan.published, result)
    _sync_references("group", groups, plan.groups, result)
    _sync_references("subject", subjects, plan.subjects, result)
    _sync_facets(subjects, plan.subjects, facets, result)
    if result.changed_anything:
        emit("catalogue.kle.loaded", object_type="kle_emneplan",
             object_id=plan.published.isoformat(), actor=actor,
             sensitivity=Sensitivity.NOT_CONFIDENTIAL, payload=result.payload())
    return result


@transaction.atomic
def load_facets(facets: kle_xml.FacetList, *, actor: str = "system") -> LoadResult:
    result = LoadResult(facets.published, {"facets": len(facets.facets)})
    rows = {f.number: {"title": f.title, "category": f.category, "valid_from": f.valid_from,
                       "valid_to": f.valid_to} for f in facets.facets}
    _upsert(ActionFacet, rows, facets.published, result)
    if result.changed_anything:
        emit("catalogue.kle_facets.loaded", object_type="kle_handlingsfacetter",
             object_id=facets.published.isoformat(), actor=actor,
             sensitivity=Sensitivity.NOT_CONFIDENTIAL, payload=result.payload())
    return result


def _fields(entry: kle_xml.Entry) -> dict[str, Any]:
    return {"title": entry.title, "guidance": entry.guidance, "uuid": entry.uuid,
            "valid_from": entry.valid_from, "valid_to": entry.valid_to,
            "changed_on": entry.changed_on}


def _subject_fields(entry: kle_xml.Entry, groups: dict[str, KleGroup]) -> dict[str, Any]:
    return {**_fields(entry), "group_id": groups[entry.number[:5]].pk,
            "retention": entry.retention, "deletion_period": entry.deletion_period,
            "keywords": "\n".join(entry.keywords),
            "search_text": kle_xml.search_text(entry)}


def _upsert(model: type[M], rows: dict[str, dict[str, Any]], published: dt.date,
            result: LoadResult) -> dict[str, M]:
    """Create, update and expire ``model`` rows (keyed by ``number``) to match ``rows``."""
    existing: dict[str, Any] = {o.number: o for o in model._default_manager.all()}  # type: ignore[attr-defined]
    new: list[Any] = []
    touched: list[Any] = []
    names: set[str] = set()
    for number, values in rows.items():
        obj = existing.get(number)
        if obj is None:
            new.append(model(number=number, **values))
            result.created.add(number)
            continue
        diff = [name for name, value in values.items() if getattr(obj, name) != value]
        if diff:
            for name in diff:
                setattr(obj, name, values[name])
            touched.append(obj)
            names.update(diff)
            result.changed.add(number)
    for number, obj in existing.items():
        if number not in rows and obj.valid_to is None:
            obj.valid_to = published
            touched.append(obj)
            names.add("valid_to")
            result.expired.add(number)
    model._default_manager.bulk_create(new)
    if touched:
        model._default_manager.bulk_update(touched, sorted(names))
    return {**existing, **{o.number: o for o in new}}  # type: ignore[attr-defined]


def _ensure_facets(numbers: set[str], result: LoadResult) -> dict[str, ActionFacet]:
    facets = {f.number: f for f in ActionFacet.objects.all()}
    missing = [ActionFacet(number=n) for n in sorted(numbers - set(facets))]
    ActionFacet.objects.bulk_create(missing)
    result.counts["new_facets"] = len(missing)
    return {**facets, **{f.number: f for f in missing}}


def _sync_references(owner: str, owners: dict[str, Any], entries: Iterable[kle_xml.Entry],
                     result: LoadResult) -> None:
    """Replace an owner's references when the file's differ from what is stored."""
    stored: dict[int, list[tuple[str, ...]]] = defaultdict(list)
    for ref in KleLegalReference.objects.filter(**{f"{owner}__isnull": False}).order_by(
            f"{owner}_id", "position"):
        stored[getattr(ref, f"{owner}_id")].append(
            (ref.law, ref.paragraph, ref.accession, ref.url))
    replace: list[int] = []
    new: list[KleLegalReference] = []
    for entry in entries:
        pk = owners[entry.number].pk
        wanted = [astuple(r) for r in entry.references]
        if stored.get(pk, []) != wanted:
            replace.append(pk)
            new += [KleLegalReference(**{f"{owner}_id": pk}, position=i, law=r.law,
                                      paragraph=r.paragraph, accession=r.accession, url=r.url)
                    for i, r in enumerate(entry.references)]
            if entry.number not in result.created:
                result.changed.add(entry.number)
    KleLegalReference.objects.filter(**{f"{owner}_id__in": replace}).delete()
    KleLegalReference.objects.bulk_create(new)


def _sync_facets(subjects: dict[str, KleSubject], entries: Iterable[kle_xml.Entry],
                 facets: dict[str, ActionFacet], result: LoadResult) -> None:
    through = KleSubject.facets.through
    in_file = {subjects[e.number].pk: e for e in entries}
    rows = {(s, f): pk for pk, s, f in through.objects.filter(
        klesubject_id__in=list(in_file)).values_list("id", "klesubject_id", "actionfacet_id")}
    stored = set(rows)
    wanted = {(pk, facets[f].pk) for pk, e in in_file.items() for f in e.facets}
    gone = stored - wanted
    through.objects.filter(id__in=[rows[pair] for pair in gone]).delete()
    through.objects.bulk_create(
        through(klesubject_id=s, actionfacet_id=f) for s, f in sorted(wanted - stored))
    for subject_pk, _ in gone | (wanted - stored):
        number = in_file[subject_pk].number
        if number not in result.created:
            result.changed.add(number)
