from django.urls import path

from sihai.residents import portal_views

# The resident's own data, mounted at /me/data/.
urlpatterns = (
    [
        path("", portal_views.my_data, name="data"),
        path("register/", portal_views.register, name="register"),
        path("download.json", portal_views.my_data_download, name="download"),
        path("who-looked/", portal_views.who_looked, name="who_looked"),
        path("consents/give", portal_views.consent_give, name="consent_give"),
        path(
            "consents/<int:consent_id>/withdraw",
            portal_views.consent_withdraw,
            name="consent_withdraw",
        ),
        path("sensitive/", portal_views.sensitive, name="sensitive"),
    ],
    "my_data",
)
