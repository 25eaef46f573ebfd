"""Load the complaint guidance templates (klagevejledninger) from
cases/data/complaint_guidance.json: Barnets lov, serviceloven, the employment area (LAB)
and a default. Afterwards they are the administrator's to edit; reversing removes only the
rows this migration made (by code)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "complaint_guidance.json"


def _rows():
    return json.loads(DATA.read_text(encoding="utf-8"))["complaint_guidance"]


def load(apps, schema_editor):
    ComplaintGuidance = apps.get_model("cases", "ComplaintGuidance")
    for row in _rows():
        ComplaintGuidance.objects.update_or_create(
            code=row["code"],
            defaults={"law_short": row["law_short"], "title": row["title"],
                      "body": "\n\n".join(row["body"]),
                      "complaint_days": row["complaint_days"],
                      "appeals_body": row["appeals_body"]})


def unload(apps, schema_editor):
    ComplaintGuidance = apps.get_model("cases", "ComplaintGuidance")
    ComplaintGuidance.objects.filter(code__in=[r["code"] for r in _rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_full_text_search"),
    ]

    operations = [migrations.RunPython(load, unload)]
