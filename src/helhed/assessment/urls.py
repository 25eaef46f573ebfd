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

# Adult assessments (VUM 2.0).
from helhed.assessment import assessments_views  # noqa: E402

urlpatterns += [
    path("sager/<uuid:case_id>/voksenudredning/ny/", assessments_views.adult_assessment_new,
         name="adult-assessment-new"),
    path("voksenudredning/<uuid:assessment_id>/", assessments_views.adult_assessment_detail,
         name="adult-assessment-detail"),
    path("funktionsniveauer/<uuid:citizen_id>/", assessments_views.functional_levels,
         name="functional-levels"),
]

# Child investigations (Barnets lov § 20, ICS).
from helhed.assessment import investigations_views  # noqa: E402

urlpatterns += [
    path("sager/<uuid:case_id>/undersoegelse/ny/", investigations_views.investigation_new,
         name="investigation-new"),
    path("undersoegelse/<uuid:investigation_id>/", investigations_views.investigation_detail,
         name="investigation-detail"),
    path("undersoegelse/<uuid:investigation_id>/tema/", investigations_views.investigation_theme,
         name="investigation-theme"),
    path("undersoegelse/<uuid:investigation_id>/samtale/",
         investigations_views.investigation_conversation, name="investigation-conversation"),
    path("undersoegelse/<uuid:investigation_id>/indhentning/",
         investigations_views.investigation_link, name="investigation-link"),
    path("undersoegelse/<uuid:investigation_id>/afslut/",
         investigations_views.investigation_conclude, name="investigation-conclude"),
]
