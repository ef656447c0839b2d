from django.contrib.auth import views as auth_views
from django.urls import path

from sihai.accounts import signin, tokens, views

app_name = "accounts"
urlpatterns = [
    path("login/", signin.sign_in, name="login"),
    path("login/verify/", signin.verify, name="verify"),
    path("login/enrol/", signin.enrol, name="enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", signin.password_change, name="password_change"),
]

# Mounted under /workbench/staff/ (config/urls.py).
workbench_urlpatterns = (
    [
        path("", views.staff_list, name="list"),
        path("<int:user_id>/", views.staff_detail, name="detail"),
        path("<int:user_id>/roles/<int:assignment_id>/revoke", views.role_revoke, name="revoke"),
        path("<int:user_id>/totp/reset", views.totp_reset, name="totp_reset"),
    ],
    "staff",
)

# Mounted under /workbench/tokens/.
token_urlpatterns = (
    [
        path("", tokens.token_list, name="list"),
        path("<str:prefix>/revoke", tokens.token_revoke, name="revoke"),
    ],
    "tokens",
)
