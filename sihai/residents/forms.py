from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sihai.residents.models import Gender, Need, Occupation, Purpose, Relationship, SchoolStage
from sihai.residents.selectors import PURPOSES


class SearchForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=30)
    phone = forms.CharField(label=_("phone number"), required=False, max_length=32)
    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    birth_date = forms.DateField(
        label=_("date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class OpenForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Why are you opening this record?"),
        choices=[
            ("service_delivery", _("To serve the resident (a request or an application)")),
            ("counter_visit", _("The resident is at the counter")),
            ("correction", _("To correct the record")),
            ("deletion_request", _("To handle the resident's request about their data")),
        ],
    )

    def clean_purpose(self) -> str:
        purpose: str = self.cleaned_data["purpose"]
        assert purpose in PURPOSES  # noqa: S101  (the choices are the purposes)
        return purpose


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    birth_date = forms.DateField(
        label=_("date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    gender = forms.ChoiceField(label=_("gender"), choices=Gender.choices, initial=Gender.UNSTATED)
    phone = forms.CharField(label=_("phone number"), required=False, max_length=32)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=30)
    origin_code = forms.CharField(
        label=_("place of origin"),
        required=False,
        max_length=6,
        help_text=_("Area code of the province, city or county, e.g. 53 for Yunnan"),
    )
    arrival_date = forms.DateField(
        label=_("date of arrival"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    address = forms.CharField(label=_("address"), required=False, max_length=300)
    occupation = forms.ChoiceField(
        label=_("occupation"), choices=Occupation.choices, initial=Occupation.OTHER
    )
    languages = forms.CharField(
        label=_("languages spoken"),
        required=False,
        max_length=200,
        help_text=_("Separate with commas"),
    )
    needs = forms.MultipleChoiceField(
        label=_("declared needs"),
        required=False,
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def languages_list(self) -> list[str]:
        raw: str = self.cleaned_data.get("languages") or ""
        return [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]

    def clean_birth_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["birth_date"]
        return value


class CounterRegisterForm(RegisterForm):
    consent_evidence = forms.CharField(
        label=_("Reference of the signed consent form"),
        max_length=200,
        help_text=_("The resident signs the consent form before anything is recorded."),
    )
    confirmed_new = forms.BooleanField(
        label=_("I checked: this is not the resident already registered"), required=False
    )


class SelfRegisterForm(RegisterForm):
    agree = forms.BooleanField(
        label=_("I agree that the city uses this information to serve me."), required=True
    )

    def clean(self) -> dict[str, Any]:
        return super().clean() or {}


class CorrectionForm(RegisterForm):
    """Staff correct a record at the counter: the same fields, and why."""

    reason = forms.CharField(
        label=_("Why is the record corrected?"),
        max_length=300,
        help_text=_("For example: the resident showed their ID card"),
    )


class SelfCorrectionForm(RegisterForm):
    """The resident corrects their own details; the phone is their sign-in number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["phone"]


class MoveForm(forms.Form):
    community_code = forms.CharField(
        label=_("New community"),
        max_length=12,
        min_length=12,
        help_text=_("12-digit community or village code"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    moved_on = forms.DateField(
        label=_("Date of the move"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    address = forms.CharField(label=_("New address"), required=False, max_length=300)


class MemberForm(forms.Form):
    relationship = forms.ChoiceField(label=_("relationship"), choices=Relationship.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    birth_date = forms.DateField(
        label=_("date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    gender = forms.ChoiceField(label=_("gender"), choices=Gender.choices, initial=Gender.UNSTATED)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=30)
    school_stage = forms.ChoiceField(
        label=_("school stage"),
        required=False,
        choices=[("", "—"), *SchoolStage.choices],
    )
    school_name = forms.CharField(label=_("current school"), required=False, max_length=100)


class SelfMemberForm(MemberForm):
    guardian_agrees = forms.BooleanField(
        label=_(
            "I am this child's parent or guardian and agree that the city keeps these details "
            "to serve our family (needed for a child under 14)."
        ),
        required=False,
    )


class CounterMemberForm(MemberForm):
    guardian_evidence = forms.CharField(
        label=_("Reference of the form the guardian signed"),
        required=False,
        max_length=200,
        help_text=_("Needed for a child under 14"),
    )


class ConsentRecordForm(forms.Form):
    """A consent the resident signed on a paper form at the counter."""

    purpose = forms.ChoiceField(
        label=_("What the resident agreed to"),
        choices=[
            (p.value, p.label)
            for p in Purpose
            if p not in {Purpose.SENSITIVE_CATEGORIES, Purpose.MINOR_DATA}
        ],
    )
    department = forms.ChoiceField(
        label=_("department"),
        required=False,
        help_text=_("Only for sharing with a named department"),
    )
    evidence = forms.CharField(label=_("Reference of the signed consent form"), max_length=200)

    def __init__(self, *args: Any, departments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "—"), *departments]  # type: ignore[attr-defined]


class DeletionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("grant", _("Grant: erase the resident's data now")),
            ("refuse", _("Refuse, with reasons")),
        ],
        widget=forms.RadioSelect,
    )
    refusal_reason = forms.CharField(
        label=_("Reasons for refusing (the resident reads them)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    understood = forms.BooleanField(
        label=_(
            "I understand: my details, my household and my sign-in account will be erased, "
            "and the city can no longer serve me with them."
        ),
        required=True,
    )
