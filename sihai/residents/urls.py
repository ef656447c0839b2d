from django.urls import path

from sihai.residents import views

app_name = "residents"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.register, name="register"),
    path("<int:resident_id>/", views.record, name="record"),
]
