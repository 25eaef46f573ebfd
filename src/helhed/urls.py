"""The URL map: pages at the root, the HTTP API under /api/v1/, administration under /admin/.

Citizens' personal data is deliberately not registered in the admin: it is read only
through the policy door (people.services), which logs every look.
"""

from django.contrib import admin
from django.urls import include, path

from helhed.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("helhed.cases.urls")),
    path("", include("helhed.messaging.urls")),
    path("", include("helhed.assessment.urls")),
    path("", include("helhed.sharing.urls")),
    path("", include("helhed.plans.urls")),
    path("", include("helhed.orders.urls")),
    path("", include("helhed.web.urls")),
]

handler403 = "helhed.web.views.errors.forbidden"
handler404 = "helhed.web.views.errors.not_found"
handler500 = "helhed.web.views.errors.server_error"

admin.site.site_header = "helhed administration"
admin.site.site_title = "helhed"
admin.site.index_title = "Organisation, roller og klassifikationer"
