"""Forms of the application pages (portal and workbench)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sihai.accounts.models import Department
from sihai.applications.models import DocumentKind, Employment, Housing, Insurance


class FactsForm(forms.Form):
    insurance = forms.ChoiceField(label=_("Medical insurance"), choices=Insurance.choices)
    housing = forms.ChoiceField(label=_("Where you live"), choices=Housing.choices)
    employment = forms.ChoiceField(label=_("Work"), choices=Employment.choices)
    social_insurance_months = forms.IntegerField(
        label=_("Months of social-insurance contributions in the city"),
        min_value=0,
        max_value=600,
        initial=0,
    )
    has_residence_permit = forms.BooleanField(
        label=_("I hold a residence permit of the city"), required=False
    )


class ApplyForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Child"), coerce=int, required=False)
    school = forms.ChoiceField(label=_("Preferred school"), required=False)
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents to attach (kept once, reused)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        children: list[tuple[int, str]],
        schools: list[tuple[str, str]],
        documents: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *children]  # type: ignore[attr-defined]
        self.fields["school"].choices = [("", "—"), *schools]  # type: ignore[attr-defined]
        self.fields["documents"].choices = documents  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Which document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject, with the reason")),
            ("more_documents", _("Ask for more documents")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason or documents needed (the resident reads this)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seat_school = forms.ChoiceField(label=_("School seat assigned"), required=False)

    def __init__(self, *args: Any, schools: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if schools:
            self.fields["seat_school"].choices = [("", "—"), *schools]  # type: ignore[attr-defined]
        else:
            del self.fields["seat_school"]


class TypeForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100)
    summary_zh = forms.CharField(label=_("What it is (Chinese)"), required=False)
    summary_en = forms.CharField(label=_("What it is (English)"), required=False)
    conditions_text = forms.CharField(
        label=_("Eligibility conditions"),
        help_text=_("One a line: rule | reason in Chinese | reason in English."),
        widget=forms.Textarea(attrs={"rows": 8, "class": "mono"}),
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents needed"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.CharField(
        label=_("Deciding departments, in order (codes, comma-separated)"), max_length=300
    )
    sequential = forms.BooleanField(label=_("One after another"), required=False)
    decide_within_days = forms.IntegerField(
        label=_("Working days each department has"), min_value=1, max_value=60
    )
    active = forms.BooleanField(label=_("Open for applications"), required=False)

    def departments_list(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["departments"].split(",") if c.strip()]

    @staticmethod
    def department_help() -> str:
        return ", ".join(Department.objects.order_by("code").values_list("code", flat=True))


class CounterFindForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=20)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=20)
