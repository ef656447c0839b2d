from django.urls import path, re_path

from sihai.open311 import views

app_name = "open311"
F = r"\.(?P<fmt>xml|json)$"
urlpatterns = [
    path("", views.discovery, {"fmt": "json"}, name="root"),
    re_path(r"^discovery" + F, views.discovery, name="discovery"),
    re_path(r"^services" + F, views.services, name="services"),
    re_path(r"^services/(?P<code>[-\w]+)" + F, views.service_definition, name="service"),
    re_path(r"^requests" + F, views.requests, name="requests"),
    re_path(r"^requests/(?P<reference>[-\w]+)" + F, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>\w+)" + F, views.token, name="token"),
]
