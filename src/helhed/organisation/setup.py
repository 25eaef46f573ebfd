"""Creating a municipality with its standard departments (from data/departments.json)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from helhed.core.events import emit
from helhed.core.models import Sensitivity
from helhed.organisation.models import Department, Municipality

DEPARTMENTS = Path(__file__).resolve().parent / "data" / "departments.json"


@transaction.atomic
def ensure_municipality(code: str, name: str, region: str = "") -> Municipality:
    """The municipality with ``code``, created with the standard departments if new."""
    municipality, created = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "region": region})
    if created:
        rows = json.loads(DEPARTMENTS.read_text(encoding="utf-8"))
        Department.objects.bulk_create(
            Department(municipality=municipality, code=r["code"], name=r["name"],
                       description=r.get("description", ""))
            for r in rows
        )
        emit("organisation.municipality.created", object_type="municipality",
             object_id=code, actor="system", sensitivity=Sensitivity.NOT_CONFIDENTIAL,
             payload={"name": name, "departments": [r["code"] for r in rows]})
    return municipality
