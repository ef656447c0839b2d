"""The admin site is the system administrator's operations desk, not a back door.

Staff accounts and roles are changed only in the workbench, through the audited
services that enforce separation of duties; here they are read-only.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from sihai.accounts.models import Department, RoleAssignment, User
from sihai.accounts.policies import SYSTEM_OPERATE
from sihai.core.errors import NotFound, PageNotFound
from sihai.core.policy import has_action


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RoleAssignmentInline(ReadOnlyMixin, admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("area", "department", "role")
    readonly_fields = fields


@admin.register(User)
class StaffAdmin(ReadOnlyMixin, UserAdmin[User]):
    inlines = [RoleAssignmentInline]
    list_display = ("username", "display_name", "is_active", "last_login")
    fieldsets = (
        (None, {"fields": ("username", "display_name", "is_active", "last_login", "date_joined")}),
    )


@admin.register(Department)
class DepartmentAdmin(ReadOnlyMixin, admin.ModelAdmin[Department]):
    list_display = ("code", "name_zh", "name_en")


# Django's groups are not used: roles are RoleAssignments.
admin.site.unregister(Group)


def _sign_in_through_the_workbench(
    request: HttpRequest, extra_context: object = None
) -> HttpResponse:
    """The admin site's own password-only form would skip the second factor and the lockout."""
    if request.user.is_authenticated:
        if _operates(request):
            return redirect("admin:index")
        # Signed in, but the admin site is not theirs: say so once instead of looping.
        raise PageNotFound(NotFound.default_message())
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), reverse("accounts:login")
    )


def _operates(request: HttpRequest) -> bool:
    """The admin site is open to whoever holds system.operate now, not to a stored flag."""
    return request.user.is_active and has_action(request.user, SYSTEM_OPERATE)


def _password_change_through_the_service(
    request: HttpRequest, extra_context: object = None
) -> HttpResponse:
    """Password changes keep history, expiry, token revocation and the audit trail."""
    return redirect("accounts:password_change")


admin.site.login = _sign_in_through_the_workbench  # type: ignore[method-assign]
admin.site.has_permission = _operates  # type: ignore[method-assign]
admin.site.password_change = _password_change_through_the_service  # type: ignore[method-assign,assignment]
