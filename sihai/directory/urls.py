from django.urls import path

from sihai.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.point_list, name="list"),
    path("new/", views.point_create, name="create"),
    path("export.xlsx", views.point_export, name="export"),
    path("import/", views.point_import, name="import"),
    path("<str:location_id>/", views.point_edit, name="edit"),
    path("<str:location_id>/hours/", views.point_hours, name="hours"),
    path("<str:location_id>/closures/", views.point_closures, name="closures"),
    path(
        "<str:location_id>/closures/<str:closure_id>/remove",
        views.closure_remove,
        name="closure_remove",
    ),
]
