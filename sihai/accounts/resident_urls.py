from django.urls import path

from sihai.accounts import resident_views

# The portal's resident pages, mounted at /me/.
me_urlpatterns = (
    [
        path("", resident_views.home, name="home"),
        path("sign-in/", resident_views.sign_in, name="sign_in"),
        path("sign-in/code/", resident_views.enter_code, name="code"),
        path("sign-out/", resident_views.sign_out, name="sign_out"),
    ],
    "residents_me",
)

# The counter's page, mounted at /workbench/resident-accounts/.
workbench_urlpatterns = (
    [path("assist/", resident_views.assist, name="assist")],
    "resident_accounts",
)
