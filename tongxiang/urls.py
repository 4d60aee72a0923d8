from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from residency.access.forms import LoginForm
from residency.privacy.responses import SignOutView
from tongxiang.home import HomeView

from . import pwa

# A database outage raised outside a view (or while the session is saved) is a 503 as well;
# anything else is templates/500.html (templates/400.html).
handler500 = "residency.outage.server_error"
handler400 = "residency.outage.bad_request"

admin.site.site_header = _("住村·夜班·评议 后台管理")
admin.site.site_title = _("住村·夜班·评议")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm,
                                                          redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("residency/", include("residency.urls")),
    path("nightlog/", include("nightlog.urls")),
    path("appraisal/", include("appraisal.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # The offline-first shell: the service worker must be served from the root (its scope).
    path("sw.js", pwa.service_worker, name="pwa-sw"),
    path("manifest.webmanifest", pwa.manifest, name="pwa-manifest"),
    path("offline/", pwa.OfflineView.as_view(), name="pwa-offline"),
]
