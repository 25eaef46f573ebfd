"""Load the data categories (mapped from the 43 data needs) and the starting legal-basis
rules from ``sharing/data/*.json``. Afterwards they are the administrator's."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data"


def load(apps, schema_editor):
    DataCategory = apps.get_model("sharing", "DataCategory")
    AccessRule = apps.get_model("sharing", "AccessRule")
    DataNeed = apps.get_model("catalogue", "DataNeed")
    LegalBasis = apps.get_model("catalogue", "LegalBasis")
    Role = apps.get_model("organisation", "Role")
    categories = json.loads((DATA / "categories.json").read_text(encoding="utf-8"))
    by_code = {}
    for order, row in enumerate(categories["categories"]):
        category = DataCategory.objects.create(
            code=row["code"], name=row["name"], sensitive=row["sensitive"],
            hides_existence=row["hides_existence"], departments=row["departments"],
            sort_order=order)
        for paragraph, number in row["needs"]:
            need = DataNeed.objects.filter(paragraph=paragraph, number=number).first()
            if need is not None:
                category.data_needs.add(need)
        by_code[category.code] = category
    rules = json.loads((DATA / "access_rules.json").read_text(encoding="utf-8"))
    for row in rules["rules"]:
        rule = AccessRule.objects.create(
            code=row["code"], name=row["name"], paragraph=row["paragraph"],
            description=row["description"], purposes=row["purposes"],
            condition=row["condition"], condition_departments=row["condition_departments"],
            condition_states=row.get("condition_states", []),
            allows_target_search=row["allows_target_search"],
            legal_basis=LegalBasis.objects.filter(code=row["legal_basis"]).first()
            if row["legal_basis"] else None)
        rule.categories.set(by_code[c] for c in row["categories"])
        rule.roles.set(Role.objects.filter(code__in=row["roles"]))


def unload(apps, schema_editor):
    apps.get_model("sharing", "AccessRule").objects.all().delete()
    apps.get_model("sharing", "DataCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0001_consent_rules_emergency_subscriptions"),
        ("catalogue", "0004_reply_to_notifier_deadline"),
        ("organisation", "0002_load_roles"),
    ]
    operations = [migrations.RunPython(load, unload)]
