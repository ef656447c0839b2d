from django.urls import path

from sihai.reporting import views

app_name = "transparency"

urlpatterns = [path("", views.transparency, name="index")]
