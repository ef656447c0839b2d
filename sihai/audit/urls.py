from django.urls import path

from sihai.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("access/", views.access_log, name="access"),
]
