from django.contrib import admin
from django.http import HttpRequest

from sihai.areas.models import AdministrativeArea


@admin.register(AdministrativeArea)
class AdministrativeAreaAdmin(admin.ModelAdmin[AdministrativeArea]):
    """Read-only: the tree changes only by loading an NBS edition with `sihai load-areas`."""

    list_display = ("code", "short_name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "short_name")
    ordering = ("code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: AdministrativeArea | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: AdministrativeArea | None = None
    ) -> bool:
        return False
