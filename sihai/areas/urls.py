from django.urls import path

from sihai.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.browser_index, name="index"),
    # Any string reaches the view so that a malformed code gets a clear 404, not a generic one.
    path("<str:code>/", views.browser_detail, name="detail"),
]
