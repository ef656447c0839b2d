from django.urls import path

from sihai.directory import coverage_views

app_name = "coverage"
urlpatterns = [
    path("", coverage_views.coverage_page, name="index"),
    path("placement/", coverage_views.placement_page, name="placement"),
]
