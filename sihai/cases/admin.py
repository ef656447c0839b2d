"""The catalogue and routing rules, read-only for the system administrator.

They are reference data loaded by migration (``cases/0002_service_catalogue``); a change
is a new migration, reviewed like code, because an edit here would not be audited.
Requests are personal data, handled in the workbench (scoped, audited), never here.
"""

from django.contrib import admin

from sihai.accounts.admin import ReadOnlyMixin
from sihai.cases.models import CategoryAttribute, RoutingRule, ServiceCategory


class AttributeInline(ReadOnlyMixin, admin.TabularInline[CategoryAttribute, ServiceCategory]):
    model = CategoryAttribute
    extra = 0


class RuleInline(ReadOnlyMixin, admin.TabularInline[RoutingRule, ServiceCategory]):
    model = RoutingRule
    extra = 0


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ReadOnlyMixin, admin.ModelAdmin[ServiceCategory]):
    list_display = (
        "code",
        "name_zh",
        "name_en",
        "private",
        "response_hours",
        "resolution_hours",
        "department",
        "active",
    )
    list_filter = ("private", "active", "group")
    inlines = (AttributeInline, RuleInline)
