"""Load the shipped KLE subset (main groups 15, 27, 29, 32, 34; emneplan of 2025-05-01).

Reads catalogue/data/kle-emneplan-subset.xml with the pure parser (no model imports) and
bulk-inserts into empty tables: this runs for every test database, so it must be fast.
A newer or full emneplan is loaded later with ``helhed load_kle FILE``.
"""

from pathlib import Path

from django.db import migrations

from helhed.catalogue import kle_xml

SUBSET = Path(__file__).resolve().parent.parent / "data" / "kle-emneplan-subset.xml"


def _fields(entry):
    return {"number": entry.number, "title": entry.title, "guidance": entry.guidance,
            "uuid": entry.uuid, "valid_from": entry.valid_from, "valid_to": entry.valid_to,
            "changed_on": entry.changed_on}


def load_subset(apps, schema_editor):
    get = lambda name: apps.get_model("catalogue", name)  # noqa: E731
    plan = kle_xml.parse_plan(SUBSET.read_bytes())
    facets = get("ActionFacet").objects.bulk_create(
        get("ActionFacet")(number=n) for n in sorted({f for s in plan.subjects for f in s.facets}))
    mains = {m.number: m for m in get("KleMainGroup").objects.bulk_create(
        get("KleMainGroup")(**_fields(e)) for e in plan.main_groups)}
    groups = {g.number: g for g in get("KleGroup").objects.bulk_create(
        get("KleGroup")(main_group=mains[e.number[:2]], **_fields(e)) for e in plan.groups)}
    subjects = {s.number: s for s in get("KleSubject").objects.bulk_create(
        get("KleSubject")(group=groups[e.number[:5]], retention=e.retention,
                          deletion_period=e.deletion_period, keywords="\n".join(e.keywords),
                          search_text=kle_xml.search_text(e), **_fields(e))
        for e in plan.subjects)}
    Reference = get("KleLegalReference")
    Reference.objects.bulk_create(
        [Reference(group=groups[e.number], position=i, law=r.law, paragraph=r.paragraph,
                   accession=r.accession, url=r.url)
         for e in plan.groups for i, r in enumerate(e.references)]
        + [Reference(subject=subjects[e.number], position=i, law=r.law, paragraph=r.paragraph,
                     accession=r.accession, url=r.url)
           for e in plan.subjects for i, r in enumerate(e.references)])
    facet_ids = {f.number: f.pk for f in facets}
    through = get("KleSubject").facets.through
    through.objects.bulk_create(
        through(klesubject_id=subjects[e.number].pk, actionfacet_id=facet_ids[f])
        for e in plan.subjects for f in e.facets)


def unload(apps, schema_editor):
    for name in ("KleLegalReference", "KleSubject", "KleGroup", "KleMainGroup", "ActionFacet"):
        apps.get_model("catalogue", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_kle_legal_bases_data_needs")]
    operations = [migrations.RunPython(load_subset, unload)]
