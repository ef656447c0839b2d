from django.urls import path

from sihai.directory import portal_views

app_name = "services"
urlpatterns = [
    path("", portal_views.find, name="find"),
    path("points/<str:location_id>/", portal_views.point, name="point"),
]
