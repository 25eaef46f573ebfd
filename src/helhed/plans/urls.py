"""The plan pages (to be included at the root by helhed/urls.py)."""

from django.urls import URLPattern, path

from helhed.plans import views

urlpatterns: list[URLPattern] = [
    path("sager/<uuid:case_id>/plan/ny/", views.plan_new, name="plan-new"),
    path("planer/<uuid:plan_id>/", views.plan_detail, name="plan-detail"),
    path("planer/<uuid:plan_id>/offentliggoer/", views.plan_publish, name="plan-publish"),
    path("planer/<uuid:plan_id>/bemaerkninger/", views.plan_comment, name="plan-comment"),
    path("planer/<uuid:plan_id>/afsnit/", views.section_add, name="plan-section-add"),
    path("planer/<uuid:plan_id>/maal/", views.goal_add, name="plan-goal-add"),
    path("planer/<uuid:plan_id>/fremdrift/", views.goal_progress, name="plan-goal-progress"),
    path("planer/<uuid:plan_id>/brev/<uuid:citizen_id>/", views.plan_letter,
         name="plan-letter"),
]
