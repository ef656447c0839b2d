from django.urls import path

from sihai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("areas/", views.area_lookup, name="areas"),
    path("areas/<str:code>/", views.area_lookup, name="area"),
]
