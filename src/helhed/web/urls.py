from django.urls import path

from helhed.web.views import auth, citizens, start

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("", start.start, name="start"),
    path("start/<slug:page>/", start.start, name="start-page"),
    path("borgere/", citizens.search, name="citizen-search"),
    path("borgere/<uuid:citizen_id>/", citizens.detail, name="citizen-detail"),
]
