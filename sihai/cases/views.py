"""The staff workbench: the inbox, a request with its timeline and actions, counter intake."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sihai.accounts.models import User
from sihai.cases import policies, selectors, services
from sihai.cases.forms import (
    DecideForm,
    MoveForm,
    NoteForm,
    RateForm,
    ReferForm,
    RequestForm,
    RerouteForm,
)
from sihai.cases.models import ServiceCategory
from sihai.cases.policies import CASE_HANDLE, CASE_INTAKE, CASE_VIEW
from sihai.cases.services import RequestInput, RequestInvalid
from sihai.cases.states import OPEN_STATES, TRANSITIONS, State
from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound
from sihai.core.policy import has_action, roots_for
from sihai.residents import selectors as resident_selectors


def _staff(request: HttpRequest, action: str) -> User:
    user = request.user
    if not isinstance(user, User) or not has_action(user, action):
        raise PageNotFound(NotFound.default_message())
    return user


def _colleagues(user: User) -> list[User]:
    """People the user may assign to: active staff holding a role inside the user's roots."""
    roots = roots_for(user, CASE_HANDLE)
    found = User.objects.filter(is_active=True, role_assignments__role__isnull=False).distinct()
    return [
        u
        for u in found.filter(role_assignments__area__code__startswith=roots[0] if roots else "-")[
            :200
        ]
        if has_action(u, CASE_HANDLE)
    ]


@never_cache
@login_required
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = _staff(request, CASE_VIEW.code)
    state = request.GET.get("state", "")
    state = state if state in OPEN_STATES else ""
    page = selectors.inbox_for_actor(
        actor=user,
        state=state,
        category=request.GET.get("category", ""),
        area=request.GET.get("area", ""),
        escalated=request.GET.get("escalated") == "1",
        cursor=request.GET.get("after", ""),
    )
    query = request.GET.copy()
    query.pop("after", None)
    context: dict[str, Any] = {
        "page": page,
        "now": timezone.now(),
        "query": query.urlencode(),
        "states": [(v, label) for v, label in State.choices if v in OPEN_STATES],
        "categories": ServiceCategory.objects.all(),
        "filters": {k: request.GET.get(k, "") for k in ("state", "category", "area", "escalated")},
        "colleagues": _colleagues(user) if has_action(user, CASE_HANDLE.code) else [],
        "referrals": selectors.referrals_to_actor(actor=user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "cases/_inbox_rows.html", context)
    return render(request, "cases/inbox.html", context)


@require_POST
@login_required
def assign(request: HttpRequest) -> HttpResponse:
    user = _staff(request, CASE_HANDLE.code)
    ids = [int(v) for v in request.POST.getlist("request") if v.isdigit()]
    assignee = request.POST.get("assignee", "")
    try:
        count = services.request_assign(
            actor=user, request_ids=ids, assignee_id=int(assignee) if assignee.isdigit() else 0
        )
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    except (InvalidInput, NotAllowed) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(n)d requests assigned.") % {"n": count})
    return redirect(request.POST.get("next") or "cases:inbox")


def _get(user: User, request_id: int) -> Any:
    try:
        return selectors.request_get_for_actor(actor=user, request_id=request_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc


@never_cache
@login_required
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _staff(request, CASE_VIEW.code)
    req = _get(user, request_id)
    moves = [(s, State(s).label) for s in sorted(TRANSITIONS.get(req.state, ()))]
    move_form = MoveForm()
    move_form.fields["to_state"].choices = moves  # type: ignore[attr-defined]
    referrals = list(selectors.referrals_of(req))
    return render(
        request,
        "cases/detail.html",
        {
            "req": req,
            "events": selectors.timeline(req, public_only=False),
            "can_handle": policies.can(user, CASE_HANDLE, req),
            "moves": moves,
            "move_form": move_form,
            "note_form": NoteForm(),
            "reroute_form": RerouteForm(),
            "refer_form": ReferForm(),
            "rate_form": RateForm(),
            "decide_form": DecideForm(),
            "referrals": [
                (r, policies.addressed_to(user, r) and r.state == "pending") for r in referrals
            ],
        },
    )


def _act(request: HttpRequest, request_id: int, run: Any) -> HttpResponse:
    user = _staff(request, CASE_HANDLE.code)
    try:
        run(user)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    except (InvalidInput, NotAllowed) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("cases:detail", request_id=request_id)


@require_POST
@login_required
def move(request: HttpRequest, request_id: int) -> HttpResponse:
    return _act(
        request,
        request_id,
        lambda user: services.request_transition(
            actor=user,
            request_id=request_id,
            to_state=request.POST.get("to_state", ""),
            note=request.POST.get("note", ""),
        ),
    )


@require_POST
@login_required
def note(request: HttpRequest, request_id: int) -> HttpResponse:
    return _act(
        request,
        request_id,
        lambda user: services.request_note(
            actor=user,
            request_id=request_id,
            note=request.POST.get("note", ""),
            public=request.POST.get("public") == "on",
        ),
    )


@require_POST
@login_required
def reroute(request: HttpRequest, request_id: int) -> HttpResponse:
    dept = request.POST.get("department_code")
    return _act(
        request,
        request_id,
        lambda user: services.request_reroute(
            actor=user,
            request_id=request_id,
            reason=request.POST.get("reason", ""),
            community_code=request.POST.get("community_code") or None,
            department_code=dept if dept is not None else None,
        ),
    )


@require_POST
@login_required
def refer(request: HttpRequest, request_id: int) -> HttpResponse:
    return _act(
        request,
        request_id,
        lambda user: services.referral_create(
            actor=user,
            request_id=request_id,
            purpose=request.POST.get("purpose", ""),
            fields=request.POST.getlist("shared_fields"),
            to_department_code=request.POST.get("to_department_code", "").strip(),
            to_community_code=request.POST.get("to_community_code", "").strip(),
            override_reason=request.POST.get("override_reason", ""),
        ),
    )


@require_POST
@login_required
def rate(request: HttpRequest, request_id: int) -> HttpResponse:
    """A follow-up call: the staff member records the requester's rating."""
    rating = request.POST.get("rating", "")
    return _act(
        request,
        request_id,
        lambda user: services.request_rate(
            actor=user,
            request_id=request_id,
            rating=int(rating) if rating.isdigit() else 0,
            comment=request.POST.get("comment", ""),
        ),
    )


@require_POST
@login_required
def decide(request: HttpRequest, request_id: int, referral_id: int) -> HttpResponse:
    return _act(
        request,
        request_id,
        lambda user: services.referral_decide(
            actor=user,
            referral_id=referral_id,
            accept=request.POST.get("accept") == "yes",
            reason=request.POST.get("reason", ""),
        ),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Counter or phone: a staff member enters a request for a resident (consent recorded)."""
    user = _staff(request, CASE_INTAKE.code)
    categories = selectors.catalogue()
    code = request.GET.get("category") or request.POST.get("category") or ""
    category = categories.filter(code=code).first()
    form = None
    if category is not None:
        form = RequestForm(request.POST or None, category=category, ask_community=True, staff=True)
        if request.method == "POST" and form.is_valid():
            data = RequestInput(
                category_code=category.code,
                description=form.cleaned_data["description"],
                community_code=form.cleaned_data["community_code"],
                attributes=form.answers(),
                address_string=form.cleaned_data.get("address_string", ""),
                contact_name=form.cleaned_data.get("contact_name", ""),
                contact_phone=form.cleaned_data.get("contact_phone", ""),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
            evidence = form.cleaned_data.get("consent_evidence", "")
            resident = None
            if form.cleaned_data.get("resident_phone", "").strip():
                try:
                    matches = resident_selectors.resident_search_for_actor(
                        actor=user, phone=form.cleaned_data["resident_phone"]
                    )
                except InvalidInput:
                    matches = []
                if len(matches) == 1:
                    resident = matches[0]
                else:
                    form.add_error(
                        "resident_phone", _("No registered resident in your area has this number.")
                    )
            personal = data.contact_name or data.contact_phone or resident is not None
            if not form.errors and personal and not evidence.strip():
                form.add_error(
                    "consent_evidence",
                    _("Record the reference of the consent form the resident signed."),
                )
            if not form.errors:
                try:
                    created, _code = services.request_submit(
                        actor=user,
                        data=data,
                        channel=form.cleaned_data["channel"],
                        consent_evidence=evidence,
                        resident=resident,
                    )
                except RequestInvalid as exc:
                    for _c, message in exc.errors:
                        form.add_error(None, message)
                except (InvalidInput, NotAllowed) as exc:
                    form.add_error(None, str(exc.message))
                else:
                    messages.success(
                        request, _("Recorded as %(ref)s.") % {"ref": created.reference}
                    )
                    return redirect("cases:detail", request_id=created.pk)
    return render(
        request, "cases/intake.html", {"categories": categories, "category": category, "form": form}
    )


@never_cache
@login_required
def rates(request: HttpRequest) -> HttpResponse:
    """The three rates per unit in the user's scope (definitions: docs/subsystems/cases.md)."""
    from sihai.cases.metrics import MIN_SAMPLE, ranking  # noqa: PLC0415

    user = _staff(request, CASE_VIEW.code)
    level = request.GET.get("level", "12")
    level_n = int(level) if level in {"12", "9", "6"} else 12
    rows = selectors.rates_for_actor(actor=user, level=level_n)
    ranks = {r.unit: n for n, r in ranking(rows, rate="satisfaction")}
    return render(
        request,
        "cases/rates.html",
        {"rows": rows, "ranks": ranks, "level": str(level_n), "min_sample": MIN_SAMPLE},
    )
