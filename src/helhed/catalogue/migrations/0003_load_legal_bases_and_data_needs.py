"""Load the legal bases with their deadlines, the former (pre-2024) paragraphs and the 43
data needs from catalogue/data/ (legal_bases.json, former_paragraphs.csv, data_needs.json).

After this, legal bases are the administrator's to edit; the files are the starting point.
"""

import csv
import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
PHASES = ("Sagsåbning", "Sagsoplysning", "Afgørelse", "Indsats", "Opfølgning")


def _date(text):
    return dt.date.fromisoformat(text) if text else None


def load_legal_bases(apps):
    LegalBasis = apps.get_model("catalogue", "LegalBasis")
    Deadline = apps.get_model("catalogue", "Deadline")
    rows = json.loads((DATA / "legal_bases.json").read_text(encoding="utf-8"))
    bases = {b.code: b for b in LegalBasis.objects.bulk_create(
        LegalBasis(code=r["code"], law=r["law"], law_short=r["law_short"],
                   paragraph=r["paragraph"], title=r["title"], description=r["description"],
                   url=r["url"], kle_numbers=r["kle_numbers"],
                   valid_from=_date(r.get("valid_from")), valid_to=_date(r.get("valid_to")))
        for r in rows)}
    Deadline.objects.bulk_create(
        Deadline(legal_basis=bases[r["code"]], kind=d["kind"], amount=d["amount"],
                 unit=d["unit"], description=d["description"])
        for r in rows for d in r["deadlines"])
    return bases


def load_former_paragraphs(apps, bases):
    FormerParagraph = apps.get_model("catalogue", "FormerParagraph")
    with (DATA / "former_paragraphs.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    FormerParagraph.objects.bulk_create(
        FormerParagraph(former_law=r["former_law"], former_paragraph=r["former_paragraph"],
                        former_title=r["former_title"], former_kle=r["former_kle"],
                        current=r["current"], legal_basis=bases.get(r["legal_basis"]),
                        certain=r["certain"] == "ja", note=r["note"])
        for r in rows)


def _phases(text):
    """"Sagsåbning, sagsoplysning." -> ["Sagsåbning", "Sagsoplysning"], in case order."""
    named = {p.strip().rstrip(".").strip().capitalize() for p in text.split(",")}
    unknown = named - set(PHASES)
    if unknown:
        raise ValueError(f"unknown phase(s) {sorted(unknown)} in data_needs.json")
    return [p for p in PHASES if p in named]


def load_data_needs(apps):
    DataNeed = apps.get_model("catalogue", "DataNeed")
    rows = json.loads((DATA / "data_needs.json").read_text(encoding="utf-8"))
    plain = ("paragraph", "number", "title", "purpose", "needed_by", "provided_by", "source",
             "collection_form", "structure", "access_need", "history", "volume", "importance",
             "availability")
    DataNeed.objects.bulk_create(
        DataNeed(phases=_phases(r["phases"]), **{k: r[k] for k in plain},
                 **{f"minutes_{k}": v for k, v in r["minutes"].items()})
        for r in rows)


def load(apps, schema_editor):
    bases = load_legal_bases(apps)
    load_former_paragraphs(apps, bases)
    load_data_needs(apps)


def unload(apps, schema_editor):
    for name in ("DataNeed", "FormerParagraph", "Deadline", "LegalBasis"):
        apps.get_model("catalogue", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_load_kle_subset")]
    operations = [migrations.RunPython(load, unload)]
