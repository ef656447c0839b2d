from django.contrib.auth import views as auth_views
from django.urls import path

from sihai.accounts import views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

# Mounted under /workbench/staff/ (config/urls.py).
workbench_urlpatterns = (
    [
        path("", views.staff_list, name="list"),
        path("<int:user_id>/", views.staff_detail, name="detail"),
        path("<int:user_id>/roles/<int:assignment_id>/revoke", views.role_revoke, name="revoke"),
    ],
    "staff",
)
