"""The sharing pages. Each part keeps its own ``urlpatterns`` in its view module; this file
only joins them."""

from django.urls import URLPattern

from helhed.sharing.views import accesslog, advis, consents, emergency, overview, targets

urlpatterns: list[URLPattern] = [
    *advis.urlpatterns,
    *targets.urlpatterns,
    *overview.urlpatterns,
    *consents.urlpatterns,
    *emergency.urlpatterns,
    *accesslog.urlpatterns,
]
