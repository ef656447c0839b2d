"""The URL map: portal at the root, workbench under /workbench/, APIs under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from config.api import api
from sihai.accounts.resident_urls import me_urlpatterns as me_urls
from sihai.accounts.resident_urls import workbench_urlpatterns as resident_account_urls
from sihai.accounts.urls import token_urlpatterns as token_urls
from sihai.accounts.urls import workbench_urlpatterns as staff_urls
from sihai.applications.portal_urls import urlpatterns as my_applications_urls
from sihai.core import views as core_views
from sihai.residents.portal_urls import urlpatterns as my_data_urls

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("prefs/language", core_views.set_language, name="set_language"),
    path("prefs/care-mode", core_views.set_care_mode, name="set_care_mode"),
    path("accounts/", include("sihai.accounts.urls")),
    path("workbench/areas/", include("sihai.areas.urls")),
    path("workbench/residents/", include("sihai.residents.urls")),
    path("workbench/imports/", include("sihai.spreadsheets.urls")),
    path("workbench/staff/", include(staff_urls)),
    path("workbench/tokens/", include(token_urls)),
    path("workbench/resident-accounts/", include(resident_account_urls)),
    path("me/data/", include(my_data_urls)),
    path("me/applications/", include(my_applications_urls)),
    path("workbench/applications/", include("sihai.applications.urls")),
    path("me/", include(me_urls)),
    path("demo/", include("sihai.demo.urls")),
    path("workbench/audit/", include("sihai.audit.urls")),
    path("workbench/directory/", include("sihai.directory.urls")),
    path("workbench/coverage/", include("sihai.directory.coverage_urls")),
    path("services/", include("sihai.directory.portal_urls")),
    path("hsds/", include("sihai.hsds.urls")),
    path("workbench/requests/", include("sihai.cases.urls")),
    path("workbench/open311-keys/", include("sihai.open311.key_urls")),
    path("requests/", include("sihai.cases.portal_urls")),
    path("open311/v2/", include("sihai.open311.urls")),
    path("workbench/insight/", include("sihai.reporting.urls")),
    path("transparency/", include("sihai.reporting.public_urls")),
    path("workbench/", include("sihai.workbench.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("sihai.portal.urls")),
]

handler400 = "sihai.core.views.bad_request"
handler403 = "sihai.core.views.permission_denied"
handler404 = "sihai.core.views.page_not_found"
handler500 = "sihai.core.views.server_error"
