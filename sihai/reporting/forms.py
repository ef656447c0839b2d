"""The form an officer enters a registered residents' published figure with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sihai.areas.models import AdministrativeArea
from sihai.reporting.comparisons import DISTRICT_LEN, FIRST_YEAR, MAX_SOURCE
from sihai.reporting.registry import indicators


class ComparisonForm(forms.Form):
    indicator_code = forms.ChoiceField(label=_("Which share"))
    area_code = forms.ChoiceField(label=_("Area (the city or a district)"))
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)
    value = forms.DecimalField(
        label=_("Share of registered (户籍) residents, per cent"),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        help_text=_("As published, e.g. 98.5."),
    )
    source = forms.CharField(
        label=_("Published in"),
        max_length=MAX_SOURCE,
        help_text=_("e.g. 昆明市教育局 2025 年教育事业统计公报"),
    )

    def __init__(self, *args: Any, roots: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = [  # type: ignore[attr-defined]
            (i.code, str(i.name)) for i in indicators() if i.comparable
        ]
        areas = AdministrativeArea.objects.filter(level__in=["city", "county"]).order_by("code")
        self.fields["area_code"].choices = [  # type: ignore[attr-defined]
            (a.code, f"{a.short_name} {a.code}")
            for a in areas
            if len(a.code) <= DISTRICT_LEN and any(a.code.startswith(r) for r in roots)
        ]
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year - 1)

    def clean_year(self) -> int:
        year = int(self.cleaned_data["year"])
        last = timezone.localdate().year
        if year > last:
            raise forms.ValidationError(
                _("Give a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": last}
            )
        return year
