"""HSDS 3.0 paths, exactly as the specification names them (no trailing slashes)."""

from django.urls import path

from sihai.hsds import views

app_name = "hsds"
urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("services", views.services, name="services"),
    path("services/<str:service_id>", views.service, name="service"),
    path("organizations", views.organizations, name="organizations"),
    path("organizations/<str:organization_id>", views.organization, name="organization"),
    path("service_at_locations", views.service_at_locations, name="service_at_locations"),
    path(
        "service_at_locations/<str:sal_id>", views.service_at_location, name="service_at_location"
    ),
]
