"""An information request's answer deadline is a deadline on the requester's work list
(cases.CaseDeadline, kind "indhentning"), linked from the request.

Requests still open when this runs get their deadline here, due at the end of their answer
day (Danish time), with the requester responsible. Like the catalogue's data migrations this
writes no history or events: the deadline is derived from a request that has its own.
"""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OPEN_STATES = ("sendt", "overskredet")
RECIPIENT_KINDS = {"afdeling": "Afdeling i kommunen", "skole": "Skole",
                   "dagtilbud": "Dagtilbud", "laege": "Læge", "hospital": "Hospital",
                   "anden_kommune": "Anden kommune"}


def _supplier(request):
    if request.recipient_unit_id is not None:
        return request.recipient_unit.name
    if request.recipient_department_id is not None:
        return request.recipient_department.name
    kind = RECIPIENT_KINDS.get(request.recipient_kind, request.recipient_kind)
    return f"{kind}: {request.recipient_name}"


def add_deadlines(apps, schema_editor):
    InformationRequest = apps.get_model("assessment", "InformationRequest")
    CaseDeadline = apps.get_model("cases", "CaseDeadline")
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = (InformationRequest.objects
            .filter(state__in=OPEN_STATES, case_deadline__isnull=True)
            .select_related("case", "created_by", "recipient_unit", "recipient_department"))
    for request in rows:
        due = dt.datetime.combine(request.deadline, dt.time(23, 59, 59), tzinfo=zone)
        request.case_deadline = CaseDeadline.objects.create(
            uuid=uuid.uuid4(), kind="indhentning",
            title=f"Svar på indhentning: {_supplier(request)}"[:200],
            due_at=due.astimezone(dt.UTC), citizen_id=request.case.citizen_id,
            case_id=request.case_id, responsible_id=request.created_by_id,
            unit_id=request.case.unit_id or request.created_by.unit_id,
            created_at=request.created_at)
        request.save(update_fields=["case_deadline"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0001_information_requests'),
        ('cases', '0004_information_request_deadline_kind'),
    ]

    operations = [
        migrations.AddField(
            model_name='informationrequest',
            name='case_deadline',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='information_request', to='cases.casedeadline', verbose_name='frist på arbejdslisten'),
        ),
        migrations.RunPython(add_deadlines, migrations.RunPython.noop),
    ]
