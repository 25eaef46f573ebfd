"""API tokens for other systems: issued once, stored only as a hash, revocable, and a
bearer call acts as the token's service user all the way to the access log."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from helhed.core import clock, tokens
from helhed.core.models import AccessLogEntry, ApiToken, OutboxEvent
from helhed.organisation.models import Role, StaffMember
from helhed.organisation.setup import ensure_municipality
from helhed.testing.personas import PASSWORD, Family

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def service_user(db: None) -> User:
    """The jobcenter's system: a login with a staff record and a role, like any staff."""
    municipality = ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    user = User.objects.create_user("jobcenter-system", first_name="Jobcenterets",
                                    last_name="fagsystem")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    staff = StaffMember.objects.create(user=user, municipality=municipality)
    staff.roles.add(Role.objects.get(code="sagsbehandler-job"))
    return user


@pytest.fixture
def issued(service_user: User) -> tokens.IssuedToken:
    return tokens.issue_token(username="jobcenter-system", name="Jobcenterets fagsystem",
                              days=30, actor="hanne")


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error: dict[str, Any] = response.json()["error"]
    return error


# --- issuing ------------------------------------------------------------------------------

def test_the_token_is_stored_only_as_its_hash(issued: tokens.IssuedToken) -> None:
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret.startswith(token.prefix) and len(token.prefix) < 16
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_apitoken")
        row = cursor.fetchone()
    assert not [v for v in row if isinstance(v, str) and issued.secret in v]
    assert not OutboxEvent.objects.filter(payload__icontains=issued.secret).exists()


def test_issuing_a_token_is_an_event_without_the_token(issued: tokens.IssuedToken) -> None:
    event = OutboxEvent.objects.get(type="core.apitoken.created")
    assert event.actor == "hanne" and event.object_id == str(issued.token.pk)
    assert issued.secret not in str(event.envelope())


def test_the_command_prints_the_token_once_and_revokes_by_prefix(service_user: User) -> None:
    out = StringIO()
    call_command("api_token", "create", "--user", "jobcenter-system", "--name", "Jobcenter",
                 "--days", "7", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert tokens.hash_token(secret) == token.token_hash
    assert token.expires_at is not None
    assert token.expires_at - token.created_at == dt.timedelta(days=7)
    out = StringIO()
    call_command("api_token", "revoke", token.prefix, stdout=out)
    assert "tilbagekaldt" in out.getvalue()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert OutboxEvent.objects.filter(type="core.apitoken.revoked", actor="system:cli").count() == 1


@pytest.mark.parametrize(("args", "message"), [
    (["create", "--user", "nobody", "--name", "X"], "token.user_unknown"),
    (["create", "--user", "outsider", "--name", "X"], "token.user_not_staff"),
    (["create", "--user", "jobcenter-system", "--name", " "], "token.name_empty"),
    (["create", "--user", "jobcenter-system", "--name", "X", "--days", "0"], "token.days"),
    (["revoke", "hh_nothere"], "token.not_found"),
])
def test_the_command_refuses_plainly_and_changes_nothing(
    service_user: User, outsider: User, args: list[str], message: str,
) -> None:
    events = OutboxEvent.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("api_token", *args, stdout=StringIO())
    assert ApiToken.objects.count() == 0 and OutboxEvent.objects.count() == events


def test_a_token_cannot_be_revoked_twice(issued: tokens.IssuedToken) -> None:
    tokens.revoke_token(issued.token.prefix)
    with pytest.raises(CommandError, match="token.already_revoked"):
        call_command("api_token", "revoke", issued.token.prefix, stdout=StringIO())
    assert OutboxEvent.objects.filter(type="core.apitoken.revoked").count() == 1


# --- calling the API with a token ------------------------------------------------------------

def test_a_valid_token_reads_a_citizen_as_its_service_user(
    issued: tokens.IssuedToken, family: Family, service_user: User,
) -> None:
    response = Client().get(f"{API}/people/citizens/{family.liva.uuid}",
                            headers=bearer(issued.secret))
    assert response.status_code == 200 and response.json()["cpr"] == family.liva.cpr
    entry = AccessLogEntry.objects.get(subject=family.liva.uuid)
    assert entry.actor == service_user and entry.allowed
    assert entry.actor_name == "Jobcenterets fagsystem"
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_a_token_reads_the_openapi_document(issued: tokens.IssuedToken) -> None:
    assert Client().get(f"{API}/openapi.json", headers=bearer(issued.secret)).status_code == 200
    assert Client().get(f"{API}/openapi.json", headers=bearer("hh_wrong")).status_code == 401


def _revoked(issued: tokens.IssuedToken) -> str:
    tokens.revoke_token(issued.token.prefix)
    return issued.secret


def _expired(issued: tokens.IssuedToken) -> str:
    clock.freeze(clock.now() + dt.timedelta(days=30, seconds=1))
    return issued.secret


def _inactive_user(issued: tokens.IssuedToken) -> str:
    User.objects.filter(pk=issued.token.user_id).update(is_active=False)
    return issued.secret


BAD_TOKENS = {
    "revoked": _revoked,
    "expired": _expired,
    "inactive user": _inactive_user,
    "unknown": lambda issued: issued.secret[:-4] + "AAAA",
    "not ours": lambda issued: "some-other-systems-token",
    "empty": lambda issued: "",
}


@pytest.mark.parametrize("make", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_a_bad_token_is_a_401_like_no_login_at_all(
    make: Any, issued: tokens.IssuedToken, family: Family,
) -> None:
    secret = make(issued)
    for method, url in (("get", f"{API}/people/citizens/{family.liva.uuid}"),
                        ("post", f"{API}/people/addresses")):
        response = getattr(Client(), method)(url, headers=bearer(secret))
        error = error_of(response, 401)
        assert error == {"code": "auth.required", "message": "Du skal være logget ind.",
                         "field": None}
    assert not AccessLogEntry.objects.filter(subject=family.liva.uuid).exists()


def test_a_bad_token_is_refused_even_with_a_session(issued: tokens.IssuedToken, anna: User,
                                                    family: Family) -> None:
    """A request that names a token is judged by the token alone."""
    client = Client()
    client.force_login(anna)
    tokens.revoke_token(issued.token.prefix)
    response = client.get(f"{API}/people/citizens/{family.liva.uuid}",
                          headers=bearer(issued.secret))
    assert error_of(response, 401)["code"] == "auth.required"


# --- CSRF ---------------------------------------------------------------------------------

ADDRESS = {"street": "Havnegade", "house_number": "7", "postcode": "9999", "city": "Helhedby",
           "municipality_code": "0999"}


def test_bearer_calls_need_no_csrf_token(issued: tokens.IssuedToken) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{API}/people/addresses", ADDRESS, content_type="application/json",
                           headers=bearer(issued.secret))
    assert response.status_code == 201, response.content
    event = OutboxEvent.objects.get(type="people.address.created")
    assert event.actor == "jobcenter-system"


def test_session_posts_need_a_csrf_token(anna: User) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="anna", password=PASSWORD)
    response = client.post(f"{API}/people/addresses", ADDRESS, content_type="application/json")
    assert error_of(response, 403)["code"] == "auth.csrf"
    assert not OutboxEvent.objects.filter(type="people.address.created").exists()
    token = "k" * 32  # a CSRF secret as the pages' cookie carries it
    client.cookies["csrftoken"] = token
    response = client.post(f"{API}/people/addresses", ADDRESS, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content


def test_an_anonymous_post_is_a_401_not_a_csrf_error() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{API}/people/addresses", ADDRESS, content_type="application/json")
    assert error_of(response, 401)["code"] == "auth.required"


# --- the administration ---------------------------------------------------------------------

def test_the_administration_shows_tokens_read_only_and_revokes_with_an_event(
    issued: tokens.IssuedToken, hanne: User,
) -> None:
    client = Client()
    client.force_login(hanne)
    url = f"/admin/core/apitoken/{issued.token.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert issued.token.prefix in text and issued.secret not in text
    assert issued.token.token_hash not in text
    assert client.get("/admin/core/apitoken/add/").status_code == 403
    assert client.post(f"/admin/core/apitoken/{issued.token.pk}/delete/").status_code == 403

    response = client.post(url, {"name": "Omdøbt", "revoke": ""})
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.name == "Jobcenterets fagsystem" and issued.token.revoked_at is None
    assert not OutboxEvent.objects.filter(type__startswith="core.apitoken.", actor="hanne")\
        .exclude(type="core.apitoken.created").exists()

    response = client.post(url, {"revoke": "on"})
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    event = OutboxEvent.objects.get(type="core.apitoken.revoked")
    assert event.actor == "hanne" and event.payload["changed"] == ["revoked_at"]
    assert issued.secret not in str(event.envelope())
    assert tokens.user_for_token(issued.secret) is None


def test_the_administration_revokes_selected_tokens(issued: tokens.IssuedToken,
                                                    hanne: User) -> None:
    client = Client()
    client.force_login(hanne)
    response = client.post("/admin/core/apitoken/", {
        "action": "revoke_selected", "_selected_action": [issued.token.pk]})
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert OutboxEvent.objects.filter(type="core.apitoken.revoked", actor="hanne").count() == 1


def test_caseworkers_cannot_reach_the_tokens(issued: tokens.IssuedToken, anna: User) -> None:
    client = Client()
    client.force_login(anna)
    assert client.get("/admin/core/apitoken/").status_code == 302
