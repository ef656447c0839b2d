"""The resident's application pages (/me/applications/): pre-check, apply, follow, documents."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from sihai.applications import documents, eligibility, selectors, services
from sihai.applications.forms import ApplyForm, FactsForm, UploadForm
from sihai.applications.models import ApplicationType, State
from sihai.core.errors import InvalidInput, NotAllowed, NotFound, PageNotFound
from sihai.residents.models import Relationship, Resident
from sihai.residents.portal_views import account_of, resident_of, resident_required


def _resident(request: HttpRequest) -> Resident:
    resident = resident_of(account_of(request))
    if resident is None:
        raise PageNotFound(NotFound.default_message())
    return resident


def _facts_form(resident: Resident, data: object = None) -> FactsForm:
    facts = selectors.facts_of(resident)
    initial = (
        {
            "insurance": facts.insurance,
            "housing": facts.housing,
            "employment": facts.employment,
            "social_insurance_months": facts.social_insurance_months,
            "has_residence_permit": facts.has_residence_permit,
        }
        if facts
        else {}
    )
    return FactsForm(data, initial=initial)  # type: ignore[arg-type]


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def precheck(request: HttpRequest) -> HttpResponse:
    """Which services I am likely eligible for, why not otherwise, and what to bring."""
    account = account_of(request)
    resident = resident_of(account)
    if resident is None:
        return redirect("my_data:register")
    form = _facts_form(resident, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.facts_update(
                actor=account,
                resident_id=resident.pk,
                data=services.FactsInput(**form.cleaned_data),
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Saved. The check below uses what you told us."))
            return redirect("applications_me:precheck")
    return render(
        request,
        "applications/me_precheck.html",
        {
            "verdicts": selectors.precheck(resident),
            "form": form,
            "applications": selectors.applications_of(resident),
            "has_facts": selectors.facts_of(resident) is not None,
        },
    )


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    account = account_of(request)
    resident = _resident(request)
    kind = ApplicationType.objects.filter(code=code, active=True).first()
    if kind is None:
        raise PageNotFound(NotFound.default_message())
    children = [
        (m.pk, f"{m.name} ({m.birth_date:%Y-%m-%d})")
        for m in resident.members.filter(
            relationship__in=[Relationship.CHILD, Relationship.GRANDCHILD]
        ).order_by("birth_date")
    ]
    schools = (
        [(str(s.pk), s.name) for s in selectors.schools_near(resident.community_id)]
        if kind.assigns_school_seat
        else []
    )
    docs = [(d.pk, d.get_kind_display()) for d in selectors.documents_of(resident)]
    form = ApplyForm(
        request.POST or None,
        children=children,
        schools=schools,
        documents=docs,
        initial={"member": request.GET.get("member", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                actor=account,
                resident_id=resident.pk,
                data=services.SubmitInput(
                    type_code=kind.code,
                    member_id=form.cleaned_data["member"] or None,
                    school_id=form.cleaned_data["school"] or None,
                    document_ids=tuple(form.cleaned_data["documents"]),
                ),
            )
        except (InvalidInput, NotFound) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Sent. Your reference number is %(ref)s.") % {"ref": application.reference},
            )
            return redirect("applications_me:detail", application.pk)
    bring, held = eligibility.documents_split(
        kind, selectors.held_document_kinds(resident, selectors.facts_of(resident))
    )
    return render(
        request,
        "applications/me_apply.html",
        {
            "kind": kind,
            "form": form,
            "bring": bring,
            "held": held,
            "is_child": kind.subject == "child",
        },
    )


@never_cache
@resident_required
def detail(request: HttpRequest, application_id: int) -> HttpResponse:
    account = account_of(request)
    try:
        application = selectors.application_own_get(account=account, application_id=application_id)
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    resident = _resident(request)
    docs = [(d.pk, d.get_kind_display()) for d in selectors.documents_of(resident)]
    return render(
        request,
        "applications/me_detail.html",
        {
            "application": application,
            "events": application.events.order_by("at", "pk"),
            "needs_documents": application.state == State.NEEDS_DOCUMENTS,
            "documents": docs,
        },
    )


@resident_required
@require_POST
def supply(request: HttpRequest, application_id: int) -> HttpResponse:
    account = account_of(request)
    ids = [int(v) for v in request.POST.getlist("documents") if v.isdigit()]
    try:
        services.documents_supplied(actor=account, application_id=application_id, document_ids=ids)
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    except (InvalidInput, NotAllowed) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Sent to the department again."))
    return redirect("applications_me:detail", application_id)


@never_cache
@csrf_exempt  # checked below, once the declared size is known to be acceptable
@resident_required
@require_http_methods(["GET", "POST"])
def my_documents(request: HttpRequest) -> HttpResponse:
    """Upload a document. A 200 MB upload is refused from its declared length, before the CSRF
    check or anything else reads the body (the refusal writes nothing, so it needs no token)."""
    resident = _resident(request)
    if request.method == "POST":
        try:
            documents.check_declared_size(request.META.get("CONTENT_LENGTH"))
        except InvalidInput as exc:
            return render(
                request,
                "applications/me_documents.html",
                {
                    "form": UploadForm(),
                    "documents": selectors.documents_of(resident),
                    "error": str(exc.message),
                },
                status=413,
            )
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    account = account_of(request)
    resident = _resident(request)
    form = UploadForm()
    error, status = "", 200
    if request.method == "POST":
        try:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                services.document_upload(
                    actor=account,
                    resident_id=resident.pk,
                    kind=form.cleaned_data["kind"],
                    data=documents.read_limited(upload.chunks()),
                    original_name=upload.name or "",
                )
                messages.success(request, _("Kept. You can attach it to any application."))
                return redirect("applications_me:documents")
        except InvalidInput as exc:
            error = str(exc.message)
            status = 413 if exc.code == "document.too_large" else 400
    return render(
        request,
        "applications/me_documents.html",
        {"form": form, "documents": selectors.documents_of(resident), "error": error},
        status=status,
    )


@never_cache
@resident_required
def document_file(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.document_get_for_actor(
            actor=account_of(request), document_id=document_id
        )
    except NotFound as exc:
        raise PageNotFound(NotFound.default_message()) from exc
    return file_response(document.storage_name, document.content_type)


def file_response(storage_name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(documents.load(storage_name), content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
