from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sihai.accounts.models import Department
from sihai.accounts.roles import Role


class RoleGrantForm(forms.Form):
    area_code = forms.CharField(
        label=_("Area code"),
        max_length=12,
        help_text=_("4, 6, 9 or 12 digits, e.g. 530102 for Wuhua district"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Department (department officers only)"),
        queryset=Department.objects.all(),
        required=False,
        to_field_name="code",
    )
