"""The information request pages (included at the root by helhed/urls.py)."""

from django.urls import URLPattern, path

from helhed.assessment import views

urlpatterns: list[URLPattern] = [
    path("sager/<uuid:case_id>/indhentning/ny/", views.request_new, name="request-new"),
    path("indhentning/indbakke/", views.inbox, name="requests-inbox"),
    path("indhentning/besparelse/", views.savings, name="requests-dashboard"),
    path("indhentning/<uuid:request_id>/", views.request_detail, name="request-detail"),
    path("indhentning/<uuid:request_id>/svar/", views.request_answer, name="request-answer"),
    path("indhentning/<uuid:request_id>/registrer-svar/", views.request_register,
         name="request-register"),
    path("indhentning/<uuid:request_id>/annuller/", views.request_cancel,
         name="request-cancel"),
]
