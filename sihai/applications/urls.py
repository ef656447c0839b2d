from django.urls import path

from sihai.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("parts/<int:part_id>/", views.decide, name="decide"),
    path("documents/<int:document_id>", views.document, name="document"),
    path("counter/", views.counter, name="counter"),
    path("counter/<int:resident_id>/", views.counter_resident, name="counter_resident"),
    path("counter/<int:resident_id>/documents", views.counter_upload, name="counter_upload"),
    path(
        "counter/applications/<int:application_id>/documents",
        views.counter_supply,
        name="counter_supply",
    ),
    path("counter/done/<int:application_id>/", views.counter_done, name="counter_done"),
    path("receipts/<int:application_id>.pdf", views.receipt, name="receipt"),
    path("seats/", views.seats, name="seats"),
    path("types/", views.types, name="types"),
    path("types/<int:type_id>/", views.type_edit, name="type_edit"),
]
