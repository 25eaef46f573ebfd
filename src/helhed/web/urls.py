from django.urls import include, path

from helhed.web.views import auth, citizens, contact, start

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("", start.start, name="start"),
    path("start/<slug:page>/", start.start, name="start-page"),
    path("borgere/", citizens.search, name="citizen-search"),
    path("borgere/<uuid:citizen_id>/", citizens.detail, name="citizen-detail"),
    path("borgere/<uuid:citizen_id>/kontakt/ret/", contact.edit, name="citizen-contact-edit"),
    # Django's set_language (POST, stores the choice in the language cookie). Not public:
    # only logged-in users see the switch; the login page follows the browser's language.
    path("i18n/", include("django.conf.urls.i18n")),
]
