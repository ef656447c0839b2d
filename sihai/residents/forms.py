from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sihai.residents.models import Gender, Need, Occupation
from sihai.residents.selectors import PURPOSES


class SearchForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=30)
    phone = forms.CharField(label=_("phone number"), required=False, max_length=32)
    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    birth_date = forms.DateField(
        label=_("date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OpenForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Why are you opening this record?"),
        choices=[
            ("service_delivery", _("To serve the resident (a request or an application)")),
            ("counter_visit", _("The resident is at the counter")),
            ("correction", _("To correct the record")),
        ],
    )

    def clean_purpose(self) -> str:
        purpose: str = self.cleaned_data["purpose"]
        assert purpose in PURPOSES  # noqa: S101  (the choices are the purposes)
        return purpose


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    birth_date = forms.DateField(
        label=_("date of birth"), widget=forms.DateInput(attrs={"type": "date"})
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
        label=_("date of arrival"), required=False, widget=forms.DateInput(attrs={"type": "date"})
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
