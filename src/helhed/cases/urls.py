"""The case pages. Each part of the cases app keeps its own ``urlpatterns`` in its view
module; this file only joins them."""

from django.urls import URLPattern

from helhed.cases.views import cases, decisions, documents, grants, notifications, worklist

urlpatterns: list[URLPattern] = [
    *cases.urlpatterns,
    *notifications.urlpatterns,
    *worklist.urlpatterns,
    *documents.urlpatterns,
    *decisions.urlpatterns,
    *grants.urlpatterns,
]
