from django.urls import path

from sihai.spreadsheets import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<slug:importer_key>/", views.new, name="new"),
    path("<int:job_id>/", views.detail, name="detail"),
    path("<int:job_id>/mapping", views.map_columns, name="map"),
    path("<int:job_id>/start", views.start, name="start"),
    path("<int:job_id>/cancel", views.cancel, name="cancel"),
    path("<int:job_id>/resume", views.resume, name="resume"),
    path("<int:job_id>/progress", views.progress, name="progress"),
    path("<int:job_id>/errors.xlsx", views.errors, name="errors"),
]
