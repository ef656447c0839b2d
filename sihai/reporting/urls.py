from django.urls import path, re_path

from sihai.reporting import views

app_name = "insight"

urlpatterns = [
    path("", views.index, name="index"),
    path("comparisons/", views.comparisons, name="comparisons"),
    path(
        "comparisons/<int:comparison_id>/remove/",
        views.comparison_remove,
        name="comparison_remove",
    ),
    re_path(r"^(?P<code>\d{4,12})/$", views.dashboard, name="dashboard"),
    re_path(r"^(?P<code>\d{4,12})/export\.csv$", views.export_csv, name="export_csv"),
    re_path(r"^(?P<code>\d{4,12})/export\.xlsx$", views.export_xlsx, name="export_xlsx"),
    re_path(r"^(?P<code>\d{4,12})/reports/$", views.reports, name="reports"),
    re_path(
        r"^(?P<code>\d{4,12})/reports/(?P<month>\d{4}-\d{2})\.xlsx$",
        views.report_xlsx,
        name="report_xlsx",
    ),
]
