"""The messaging pages (included at the root by helhed/urls.py)."""

from django.urls import URLPattern, path

from helhed.messaging import views

urlpatterns: list[URLPattern] = [
    path("forsendelser/", views.outbox_list, name="outbox-list"),
    path("forsendelser/<uuid:message_id>/", views.outbox_detail, name="outbox-detail"),
    path("forsendelser/<uuid:message_id>/bilag/", views.outbox_attachment,
         name="outbox-attachment"),
]
