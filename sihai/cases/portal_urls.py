from django.urls import path

from sihai.cases import portal_views

app_name = "cases_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("new/<slug:code>/", portal_views.new, name="new"),
    path("sent/", portal_views.sent, name="sent"),
    path("follow/", portal_views.follow, name="follow"),
    path("<int:request_id>/", portal_views.detail, name="detail"),
    path("<int:request_id>/rate", portal_views.rate, name="rate"),
    path("<int:request_id>/reopen", portal_views.reopen, name="reopen"),
]
