from django.urls import path

from sihai.applications import portal_views

# The resident's applications, mounted at /me/applications/.
urlpatterns = (
    [
        path("", portal_views.precheck, name="precheck"),
        path("apply/<slug:code>/", portal_views.apply, name="apply"),
        path("<int:application_id>/", portal_views.detail, name="detail"),
        path("<int:application_id>/documents", portal_views.supply, name="supply"),
        path("documents/", portal_views.my_documents, name="documents"),
        path("documents/<int:document_id>", portal_views.document_file, name="document"),
    ],
    "applications_me",
)
