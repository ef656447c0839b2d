"""Forms: a request form built from its category's questions, and the staff actions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sihai.cases.models import CategoryAttribute, Datatype, ServiceCategory
from sihai.cases.services.intake import MAX_DESCRIPTION
from sihai.cases.services.referrals import SHAREABLE
from sihai.cases.states import State


def _list_values(attr: CategoryAttribute) -> list[tuple[str, str]]:
    return attr.choices()


FIELD_FOR: dict[str, Callable[[CategoryAttribute], forms.Field]] = {
    Datatype.STRING: lambda a: forms.CharField(max_length=200),
    Datatype.TEXT: lambda a: forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    ),
    Datatype.NUMBER: lambda a: forms.FloatField(),
    Datatype.DATETIME: lambda a: forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    ),
    Datatype.SINGLEVALUELIST: lambda a: forms.ChoiceField(choices=[("", "—"), *_list_values(a)]),
    Datatype.MULTIVALUELIST: lambda a: forms.MultipleChoiceField(
        choices=_list_values(a), widget=forms.CheckboxSelectMultiple
    ),
}


class RequestForm(forms.Form):
    """The category's own questions, then the description; a hidden key against double submit.

    Questions are not marked required in the form: the intake service checks them (so
    every channel gets the same rule and message).
    """

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("What do you need?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_DESCRIPTION + 1000,  # the service gives the message past 4,000
    )
    address_string = forms.CharField(
        label=_("Address or place (optional)"), required=False, max_length=200
    )
    media_url = forms.CharField(
        label=_("Link to a photo (optional)"), required=False, max_length=500
    )
    contact_phone = forms.CharField(
        label=_("Phone number to call you back (optional)"), required=False, max_length=30
    )

    def __init__(
        self,
        *args: Any,
        category: ServiceCategory,
        ask_community: bool,
        staff: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex
        questions: dict[str, forms.Field] = {}
        for attr in category.attributes.all():
            field = FIELD_FOR[attr.datatype](attr)
            field.label = attr.label + ("" if attr.required else " " + str(_("(optional)")))
            field.required = False
            questions[f"attr_{attr.code}"] = field
        self.fields = {**questions, **self.fields}
        if ask_community:
            self.fields["community_code"] = forms.CharField(
                label=_("Community code (12 digits)"),
                max_length=12,
                help_text=_("Not sure? Use “Which community am I in?”."),
            )
        if staff:
            self.fields["community_code"].required = False
            self.fields["community_code"].help_text = _(
                "Not needed when you link a registered resident: their community is used."
            )
            self.fields["resident_phone"] = forms.CharField(
                label=_("Registered resident's phone (links the request to their record)"),
                required=False,
                max_length=30,
            )
            self.fields["contact_name"] = forms.CharField(
                label=_("Resident's name"), required=False, max_length=100
            )
            self.fields["consent_evidence"] = forms.CharField(
                label=_("Consent form reference (when acting for a resident)"),
                required=False,
                max_length=200,
            )
            self.fields["channel"] = forms.ChoiceField(
                label=_("Channel"),
                choices=[
                    ("counter", _("Workstation counter")),
                    ("phone", _("Phone / 12345 hotline")),
                ],
            )
        if category.private:
            del self.fields["media_url"]

    def answers(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("attr_") and value not in (None, "", []):
                result[name[5:]] = value.isoformat() if hasattr(value, "isoformat") else value
        return result


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New state"), choices=State.choices)
    note = forms.CharField(
        label=_("Note to the requester"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    public = forms.BooleanField(label=_("Show to the requester"), required=False)


class RerouteForm(forms.Form):
    community_code = forms.CharField(label=_("Community code"), required=False, max_length=12)
    department_code = forms.CharField(
        label=_("Department code (blank: workstation)"), required=False, max_length=40
    )
    reason = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


SHAREABLE_LABELS = {
    "category": _("Service"),
    "description": _("Description"),
    "answers": _("Answers to the service's questions"),
    "community": _("Community"),
    "contact_name": _("Contact name (personal)"),
    "contact_phone": _("Contact phone (personal)"),
}


class ReferForm(forms.Form):
    to_department_code = forms.CharField(
        label=_("To department (code)"), required=False, max_length=40
    )
    to_community_code = forms.CharField(
        label=_("Or to community (code)"), required=False, max_length=12
    )
    purpose = forms.CharField(label=_("What the receiver should do"), max_length=200)
    shared_fields = forms.MultipleChoiceField(
        label=_("Fields that travel"),
        choices=[(f, SHAREABLE_LABELS[f]) for f in SHAREABLE],
        widget=forms.CheckboxSelectMultiple,
    )
    override_reason = forms.CharField(
        label=_("Reason to override the consent check (officers only)"),
        required=False,
        max_length=2000,
    )


class DecideForm(forms.Form):
    accept = forms.ChoiceField(choices=[("yes", _("Accept")), ("no", _("Decline"))])
    reason = forms.CharField(label=_("Reason (needed to decline)"), required=False, max_length=2000)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still not right?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FollowUpForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=20)
    code = forms.CharField(label=_("Follow-up code"), max_length=8)
