"""The URL map: pages at the root, the HTTP API under /api/v1/."""

from django.urls import include, path

from helhed.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("helhed.web.urls")),
]

handler403 = "helhed.web.views.errors.forbidden"
handler404 = "helhed.web.views.errors.not_found"
handler500 = "helhed.web.views.errors.server_error"
