"""Load the standard roles from organisation/data/roles.json (data, editable later)."""

import json
from pathlib import Path

from django.db import migrations

ROLES = Path(__file__).resolve().parent.parent / "data" / "roles.json"


def load_roles(apps, schema_editor):
    Role = apps.get_model("organisation", "Role")
    for order, row in enumerate(json.loads(ROLES.read_text(encoding="utf-8"))):
        Role.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "description": row.get("description", ""),
                "start_page": row.get("start_page", "sagsbehandler"),
                "may_look_up_citizens": row.get("may_look_up_citizens", False),
                "is_provider": row.get("is_provider", False),
                "is_administrator": row.get("is_administrator", False),
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_municipality_departments_staff_roles")]
    operations = [migrations.RunPython(load_roles, migrations.RunPython.noop)]
