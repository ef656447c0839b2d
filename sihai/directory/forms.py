from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sihai.directory.catalogue import LANGUAGES, Access, Kind, Need


def language_choices() -> list[tuple[str, str]]:
    return [(code, f"{zh} · {en}") for code, (zh, en) in LANGUAGES.items()]


class FindForm(forms.Form):
    """The resident's question: a need, and where from (a community, or their location)."""

    need = forms.ChoiceField(label=_("What do you need?"), choices=Need.choices)
    open_now = forms.BooleanField(label=_("Open now only"), required=False)


class NearbyForm(FindForm):
    """Sent by the "use my location" button (POST, so the point never sits in a URL)."""

    latitude = forms.FloatField(widget=forms.HiddenInput)
    longitude = forms.FloatField(widget=forms.HiddenInput)


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind of point"), choices=Kind.choices)
    community_code = forms.CharField(
        label=_("community"),
        max_length=12,
        help_text=_("The 12-digit code of the community the point is in"),
    )
    latitude = forms.FloatField(
        label=_("latitude"), help_text=_("WGS-84 degrees, as GPS gives them (about 25 in Kunming)")
    )
    longitude = forms.FloatField(label=_("longitude"), help_text=_("WGS-84 degrees (about 102.7)"))
    address = forms.CharField(label=_("address"), max_length=300)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
    transportation = forms.CharField(label=_("how to get there"), max_length=300, required=False)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.MultipleChoiceField(
        label=_("languages spoken"),
        required=False,
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility = forms.MultipleChoiceField(
        label=_("accessibility"),
        required=False,
        choices=Access.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    published = forms.BooleanField(label=_("published (shown to the public)"), required=False)


class HoursForm(forms.Form):
    rules = forms.CharField(
        label=_("Opening hours, one rule a line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Days MO TU WE TH FR SA SU, then hours: “MO-FR 09:00-17:00”. Add “appointment” for "
            "hours by appointment only. A range may cross midnight: “FR 22:00-02:00”."
        ),
    )


class ClosureForm(forms.Form):
    starts_on = forms.DateField(
        label=_("closed from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("closed until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("reason"), max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class CoverageForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of point"), choices=Kind.choices, required=False)


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of point"), choices=Kind.choices)
    budget = forms.IntegerField(label=_("new points"), min_value=1, max_value=50, initial=10)
