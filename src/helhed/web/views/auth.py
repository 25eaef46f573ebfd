from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_POST

from helhed.web.forms import LoginForm
from helhed.web.middleware import public

login_view = public(auth_views.LoginView.as_view(template_name="web/login.html",
                                                 authentication_form=LoginForm,
                                                 redirect_authenticated_user=True))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LogoutView.as_view()(request)
