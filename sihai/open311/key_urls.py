from django.urls import path

from sihai.open311 import key_views

app_name = "open311_keys"
urlpatterns = [
    path("", key_views.keys, name="list"),
    path("<int:key_id>/revoke", key_views.revoke, name="revoke"),
]
