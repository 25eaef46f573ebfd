"""Security headers: a strict Content-Security-Policy, no referrer to other sites, no
sniffing, no camera/microphone/location, and pages with personal data are never stored."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def assert_secure(response) -> dict[str, str]:
    csp = directives(response)
    for name in ("script-src", "style-src", "font-src", "img-src", "default-src"):
        assert csp[name] == "'self'", name
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions
    return csp


def test_a_citizen_page_is_protected_and_never_stored(login, anna, family):
    response = login(anna).get(f"/borgere/{family.liva.uuid}/")
    assert response.status_code == 200
    assert_secure(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/borgere/?q=soren+aero", "/borgere/{mother}/kontakt/ret/",
                                  "/", "/api/v1/people/citizens?q=soren"])
def test_search_results_the_contact_form_and_api_answers_are_not_stored(login, anna, family,
                                                                        path):
    response = login(anna).get(path.format(mother=family.mother.uuid))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert_secure(response)


def test_error_pages_and_the_login_page_have_the_headers_too(client, login, gustav, family):
    assert_secure(client.get("/login/"))
    assert "no-store" in client.get("/login/")["Cache-Control"]
    response = login(gustav).get(f"/borgere/{family.liva.uuid}/")
    assert response.status_code == 404
    assert_secure(response)
    assert "no-store" in response["Cache-Control"]


def test_pages_have_no_inline_script_or_style(login, anna, family):
    client = login(anna)
    for path in ("/", "/borgere/?q=soren", f"/borgere/{family.liva.uuid}/",
                 f"/borgere/{family.mother.uuid}/kontakt/ret/"):
        text = client.get(path).content.decode()
        assert "<style" not in text and " style=" not in text, path
        assert text.count("<script") == text.count("<script src="), path
        assert "javascript:" not in text and " onclick=" not in text, path


def test_the_api_docs_may_show_swagger_icons_from_data_urls(login, hanne):
    response = login(hanne).get("/api/v1/docs")
    assert response.status_code == 200
    csp = directives(response)
    assert csp["img-src"] == "'self' data:"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"


def test_the_admin_keeps_the_strict_policy(login, hanne):
    response = login(hanne).get("/admin/")
    assert response.status_code == 200
    assert_secure(response)


def test_static_files_are_cacheable(client):
    response = client.get("/static/web/helhed.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
