from django.urls import path

from sihai.residents import portal_rights_views, portal_views

# The resident's own data, mounted at /me/data/.
urlpatterns = (
    [
        path("", portal_views.my_data, name="data"),
        path("register/", portal_views.register, name="register"),
        path("download.json", portal_views.my_data_download, name="download"),
        path("print/", portal_rights_views.printable, name="print"),
        path("who-looked/", portal_views.who_looked, name="who_looked"),
        path("edit/", portal_rights_views.edit, name="edit"),
        path("move/", portal_rights_views.move, name="move"),
        path("household/", portal_rights_views.household, name="household"),
        path(
            "household/<int:member_id>/remove",
            portal_rights_views.member_remove,
            name="member_remove",
        ),
        path("consents/give", portal_views.consent_give, name="consent_give"),
        path(
            "consents/<int:consent_id>/withdraw",
            portal_views.consent_withdraw,
            name="consent_withdraw",
        ),
        path("sensitive/", portal_views.sensitive, name="sensitive"),
        path("delete/", portal_rights_views.deletion, name="deletion"),
        path(
            "delete/<int:request_id>/withdraw",
            portal_rights_views.deletion_withdraw,
            name="deletion_withdraw",
        ),
    ],
    "my_data",
)
