"""Top-level URL configuration; the URL contract lives in PRODUCT.md."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from interviews.limits import rate_limited
from interviews.views import accounts

urlpatterns = [
    # Log-in (the site's and the admin's) counted per client address before any password is hashed.
    path("admin/login/", rate_limited("login")(admin.site.login)),
    path("admin/", admin.site.urls),
    path("accounts/login/", rate_limited("login")(auth_views.LoginView.as_view()), name="login"),
    # Ahead of Django's own: reset mail through the task worker, links for active accounts only.
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path("accounts/reset/<uidb64>/<token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("interviews.urls")),
]

if settings.BENCH_ENDPOINTS:

    def hello(request):
        return HttpResponse("hello", content_type="text/plain")

    urlpatterns.append(path("bench/hello", hello))

handler400 = "interviews.views.errors.bad_request"
handler403 = "interviews.views.errors.permission_denied"
handler404 = "interviews.views.errors.page_not_found"
handler500 = "interviews.views.errors.server_error"
