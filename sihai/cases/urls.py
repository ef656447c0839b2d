from django.urls import path

from sihai.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("assign", views.assign, name="assign"),
    path("new/", views.intake, name="intake"),
    path("rates/", views.rates, name="rates"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/move", views.move, name="move"),
    path("<int:request_id>/note", views.note, name="note"),
    path("<int:request_id>/reroute", views.reroute, name="reroute"),
    path("<int:request_id>/refer", views.refer, name="refer"),
    path("<int:request_id>/rate", views.rate, name="rate"),
    path("<int:request_id>/referrals/<int:referral_id>/decide", views.decide, name="decide"),
]
