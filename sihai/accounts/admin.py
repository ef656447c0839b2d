from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sihai.accounts.models import Department, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["area"]


@admin.register(User)
class StaffAdmin(UserAdmin[User]):
    inlines = [RoleAssignmentInline]
    list_display = ("username", "display_name", "is_active", "last_login")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Sihai", {"fields": ("display_name",)}))


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ("code", "name_zh", "name_en")
