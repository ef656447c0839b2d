from django.urls import path

from sihai.residents import deletion_views, record_views, views

app_name = "residents"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.register, name="register"),
    path("deletions/", deletion_views.queue, name="deletions"),
    path("deletions/<int:request_id>/", deletion_views.decide, name="deletion"),
    path("<int:resident_id>/", views.record, name="record"),
    path("<int:resident_id>/edit/", record_views.edit, name="edit"),
    path("<int:resident_id>/move", record_views.move, name="move"),
    path("<int:resident_id>/members/new/", record_views.member_add, name="member_add"),
    path(
        "<int:resident_id>/members/<int:member_id>/remove",
        record_views.member_remove,
        name="member_remove",
    ),
    path("<int:resident_id>/consents/", record_views.consent_record, name="consent_record"),
    path(
        "<int:resident_id>/consents/<int:consent_id>/withdraw",
        record_views.consent_withdraw,
        name="consent_withdraw",
    ),
]
