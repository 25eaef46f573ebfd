"""Roles and departments are data an administrator edits; every edit is an event."""

from __future__ import annotations

import pytest

from helhed.core.models import OutboxEvent
from helhed.organisation.models import Role
from helhed.testing.personas import PASSWORD


@pytest.mark.django_db
def test_administrator_changes_a_role_and_an_event_records_it(client, hanne):
    client.login(username="hanne", password=PASSWORD)
    role = Role.objects.get(code="analytiker")
    response = client.post(f"/admin/organisation/role/{role.pk}/change/", {
        "code": role.code, "name": "Dataanalytiker", "description": role.description,
        "start_page": role.start_page, "sort_order": role.sort_order,
    })
    assert response.status_code == 302, response.content[:500]
    role.refresh_from_db()
    assert role.name == "Dataanalytiker"
    event = OutboxEvent.objects.get(type="organisation.role.changed")
    assert event.actor == "hanne" and "name" in event.payload["changed"]


@pytest.mark.django_db
def test_caseworker_cannot_reach_the_administration(client, anna):
    client.login(username="anna", password=PASSWORD)
    response = client.get("/admin/organisation/role/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not OutboxEvent.objects.filter(type__startswith="organisation.role").exists()


@pytest.mark.django_db
def test_citizens_are_not_in_the_administration(client, hanne):
    """Personal data is read only through the policy door, never through the admin."""
    client.login(username="hanne", password=PASSWORD)
    assert client.get("/admin/people/citizen/").status_code == 404
