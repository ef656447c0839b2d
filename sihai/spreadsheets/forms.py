"""Forms of the import pages: upload, column mapping, start."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sihai.spreadsheets.readers import column_letter
from sihai.spreadsheets.registry import Importer


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(areas) > 1:
            self.fields["area"] = forms.ChoiceField(
                label=_("Area this register belongs to"), choices=[(a, a) for a in areas]
            )


class MappingForm(forms.Form):
    """One choice per sheet column: which field it fills (or none). Refused columns get none."""

    sheet = forms.CharField(widget=forms.HiddenInput)
    header_row = forms.IntegerField(
        label=_("Header row"),
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(
        self,
        *args: Any,
        importer: Importer,
        header: list[str],
        refused: dict[int, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        self.refused = refused
        choices = [("", _("— not imported —"))] + [
            (c.key, f"{c.label}{' *' if c.required else ''}") for c in importer.columns
        ]
        self.column_fields: list[tuple[int, str, str]] = []
        for index, title in enumerate(header):
            if index in refused:
                continue
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=f"{column_letter(index)} · {title or _('(no header)')}",
                choices=choices,
                required=False,
            )
            self.column_fields.append((index, name, title))

    def mapping(self) -> dict[int, str]:
        return {
            index: self.cleaned_data[name]
            for index, name, _title in self.column_fields
            if self.cleaned_data.get(name)
        }


class StartForm(forms.Form):
    evidence = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, importer: Importer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if importer.evidence_label:
            field = self.fields["evidence"]
            field.label = str(importer.evidence_label)
            field.help_text = str(importer.evidence_help)
            field.required = True
        else:
            del self.fields["evidence"]
