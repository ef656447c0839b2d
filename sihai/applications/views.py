"""The staff pages (/workbench/applications/): department queues, deciding a part, the
counter walk-through with a resident present, receipts, and editing the types."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from sihai.applications import documents, receipts, rules, selectors, services
from sihai.applications.forms import CounterFindForm, DecideForm, TypeForm, UploadForm
from sihai.applications.models import ApplicationType
from sihai.applications.policies import (
    APPLICATION_ASSIST,
    APPLICATION_DECIDE,
    APPLICATION_TYPE_MANAGE,
)
from sihai.applications.portal_views import file_response
from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound
from sihai.residents import selectors as resident_selectors
from sihai.residents.models import Relationship
from sihai.residents.views import require_action, staff_of


@never_cache
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The parts waiting for my department, nearest deadline first."""
    require_action(request, APPLICATION_DECIDE.code)
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "applications/queue.html",
        {
            "parts": selectors.queue_for_actor(actor=request.user, include_decided=show_all),
            "show_all": show_all,
            "today": timezone.localdate(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, part_id: int) -> HttpResponse:
    require_action(request, APPLICATION_DECIDE.code)
    user = staff_of(request)
    try:
        part = selectors.part_get_for_actor(actor=user, part_id=part_id)
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    application = part.application
    schools = (
        [(str(s.pk), s.name) for s in selectors.schools_near(application.area_code)]
        if application.type.assigns_school_seat and part.department.code == "education"
        else []
    )
    form = DecideForm(
        request.POST or None,
        schools=schools,
        initial={"seat_school": str(application.preferred_school_id or "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.part_decide(
                actor=user,
                part_id=part.pk,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                seat_school_id=form.cleaned_data.get("seat_school") or None,
            )
        except NotFound as exc:
            raise PageNotFound(NotFound.default_message()) from exc
        except (InvalidInput, NotAllowed) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Decision recorded; the resident can see it."))
            return redirect("applications:queue")
    return render(
        request,
        "applications/decide.html",
        {
            "part": part,
            "application": application,
            "form": form,
            "documents": application.documents.all(),
            "others": [p for p in application.parts.all() if p.pk != part.pk],
        },
    )


@never_cache
@login_required
def document(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        found = selectors.document_get_for_actor(actor=request.user, document_id=document_id)
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    return file_response(found.storage_name, found.content_type)


# --- the counter ---------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest) -> HttpResponse:
    """Step 1: find the resident at the counter (POST: identifiers never in URLs)."""
    require_action(request, APPLICATION_ASSIST.code)
    form = CounterFindForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        try:
            found = resident_selectors.resident_search_for_actor(
                actor=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
    return render(request, "applications/counter_find.html", {"form": form, "found": found})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def counter_resident(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Steps 2–3: the pre-check with the resident, then apply for one service on their behalf."""
    require_action(request, APPLICATION_ASSIST.code)
    user = staff_of(request)
    try:
        resident = resident_selectors.resident_get_for_actor(
            actor=user, resident_id=resident_id, purpose="counter_visit"
        )
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    if request.method == "POST":
        try:
            application = services.application_submit(
                actor=user,
                resident_id=resident.pk,
                data=services.SubmitInput(
                    type_code=request.POST.get("type", ""),
                    member_id=int(request.POST["member"])
                    if request.POST.get("member", "").isdigit()
                    else None,
                    school_id=request.POST.get("school") or None,
                    document_ids=tuple(
                        int(v) for v in request.POST.getlist("documents") if v.isdigit()
                    ),
                ),
            )
        except (InvalidInput, NotFound) as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("Submitted: reference %(ref)s. Print the receipt for the resident.")
                % {"ref": application.reference},
            )
            return redirect("applications:counter_done", application.pk)
    return render(
        request,
        "applications/counter_resident.html",
        {
            "resident": resident,
            "verdicts": selectors.precheck(resident),
            "applications": selectors.applications_of(resident),
            "documents": selectors.documents_of(resident),
            "schools": selectors.schools_near(resident.community_id),
            "children": resident.members.filter(
                relationship__in=[Relationship.CHILD, Relationship.GRANDCHILD]
            ),
            "upload_form": UploadForm(),
        },
    )


@never_cache
@csrf_exempt  # checked below, once the declared size is known to be acceptable
@login_required
@require_POST
def counter_upload(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Scan a document the resident brought; kept for them once, like their own uploads.

    An oversized upload is refused from its declared length before anything reads the body.
    """
    require_action(request, APPLICATION_ASSIST.code)
    try:
        documents.check_declared_size(request.META.get("CONTENT_LENGTH"))
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
        return redirect("applications:counter_resident", resident_id)
    return _counter_upload(request, resident_id)


@csrf_protect
def _counter_upload(request: HttpRequest, resident_id: int) -> HttpResponse:
    try:
        selectors.resident_at_counter(actor=request.user, resident_id=resident_id)
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    form = UploadForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose the document and a file."), code="document.form")
        upload = form.cleaned_data["file"]
        services.document_upload(
            actor=staff_of(request),
            resident_id=resident_id,
            kind=form.cleaned_data["kind"],
            data=documents.read_limited(upload.chunks()),
            original_name=upload.name or "",
        )
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Kept for the resident: attach it below."))
    return redirect("applications:counter_resident", resident_id)


@login_required
@require_POST
def counter_supply(request: HttpRequest, application_id: int) -> HttpResponse:
    """The resident brought the documents a department asked for: send them on."""
    require_action(request, APPLICATION_ASSIST.code)
    ids = [int(v) for v in request.POST.getlist("documents") if v.isdigit()]
    try:
        application = services.documents_supplied(
            actor=staff_of(request), application_id=application_id, document_ids=ids
        )
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    except (InvalidInput, NotAllowed) as exc:
        messages.error(request, str(exc.message))
        application = selectors.application_for_counter(
            actor=request.user, application_id=application_id
        )
    else:
        messages.success(request, _("Sent to the department again."))
    return redirect("applications:counter_resident", application.resident_id)


@never_cache
@login_required
def counter_done(request: HttpRequest, application_id: int) -> HttpResponse:
    require_action(request, APPLICATION_ASSIST.code)
    try:
        application = selectors.application_for_counter(
            actor=request.user, application_id=application_id
        )
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    return render(request, "applications/counter_done.html", {"application": application})


@never_cache
@login_required
def receipt(request: HttpRequest, application_id: int) -> HttpResponse:
    require_action(request, APPLICATION_ASSIST.code)
    try:
        application = selectors.application_for_counter(
            actor=request.user, application_id=application_id
        )
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    response = HttpResponse(receipts.receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{application.reference}.pdf"'
    return response


# --- the types -----------------------------------------------------------------------------


@never_cache
@login_required
def types(request: HttpRequest) -> HttpResponse:
    require_action(request, APPLICATION_TYPE_MANAGE.code)
    return render(
        request,
        "applications/types.html",
        {"types": ApplicationType.objects.order_by("pk"), "fields": rules.FIELDS},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, type_id: int) -> HttpResponse:
    require_action(request, APPLICATION_TYPE_MANAGE.code)
    kind = ApplicationType.objects.filter(pk=type_id).first()
    if kind is None:
        raise PageNotFound(NotFound.default_message())
    initial = {
        "name_zh": kind.name_zh,
        "name_en": kind.name_en,
        "summary_zh": kind.summary_zh,
        "summary_en": kind.summary_en,
        "conditions_text": rules.conditions_text(kind.conditions),
        "documents": kind.documents,
        "departments": ", ".join(kind.departments),
        "sequential": kind.sequential,
        "decide_within_days": kind.decide_within_days,
        "active": kind.active,
    }
    form = TypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_type_update(
                actor=staff_of(request),
                type_id=kind.pk,
                data=services.TypeInput(
                    name_zh=data["name_zh"],
                    name_en=data["name_en"],
                    summary_zh=data["summary_zh"],
                    summary_en=data["summary_en"],
                    conditions_text=data["conditions_text"],
                    documents=data["documents"],
                    departments=form.departments_list(),
                    sequential=data["sequential"],
                    decide_within_days=data["decide_within_days"],
                    active=data["active"],
                ),
            )
        except InvalidInput as exc:
            field = "conditions_text" if exc.code == "rule.invalid" else None
            form.add_error(field, str(exc.message))
        else:
            messages.success(request, _("Saved: the next pre-check uses the new rules."))
            return redirect("applications:types")
    return render(
        request,
        "applications/type_edit.html",
        {"kind": kind, "form": form, "fields": rules.FIELDS, "departments": form.department_help()},
    )


@never_cache
@login_required
def seats(request: HttpRequest) -> HttpResponse:
    """Share of migrant children of school age with a public seat, per district (aggregates)."""
    require_action(request, "coverage.view")
    from sihai.applications.metrics import seat_share_by_district  # noqa: PLC0415
    from sihai.areas.models import AdministrativeArea  # noqa: PLC0415
    from sihai.core.policy import roots_for  # noqa: PLC0415

    roots = roots_for(request.user, "coverage.view")
    shares = [
        s
        for s in seat_share_by_district(selectors.seat_rows()).values()
        if any(s.district.startswith(r) or r.startswith(s.district) for r in roots)
    ]
    names = dict(
        AdministrativeArea.objects.filter(code__in=[s.district for s in shares]).values_list(
            "code", "short_name"
        )
    )
    rows = [(s, names.get(s.district, "")) for s in shares]
    return render(request, "applications/seats.html", {"rows": rows})
