"""The provider workspace pages (included at the root by helhed/urls.py)."""

from django.urls import URLPattern, path

from helhed.orders import views

urlpatterns: list[URLPattern] = [
    path("udfoerer/bestillinger/", views.workspace, name="orders-workspace"),
    path("udfoerer/bestillinger/<uuid:order_id>/", views.order_detail, name="orders-detail"),
]
