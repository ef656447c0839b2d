"""The import pages: upload → mapping → check (progress) → preview → import (progress) → result.

Every page answers "not found" to anyone who may not see the job. Only the owner
maps, starts, cancels and resumes; the owner and staff over the job's area read
its preview and download its error workbook (access-logged).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sihai.core.errors import InvalidInput, NotFound, PageNotFound
from sihai.core.policy import has_action, roots_for
from sihai.spreadsheets import readers, selectors, services
from sihai.spreadsheets.forms import MappingForm, StartForm, UploadForm
from sihai.spreadsheets.models import ImportJob
from sihai.spreadsheets.readers import column_letter
from sihai.spreadsheets.registry import Importer, importers
from sihai.spreadsheets.states import RUNNING, JobState

FIRST_PROBLEMS = 20


def _not_found() -> PageNotFound:
    return PageNotFound(NotFound.default_message())


def _job(request: HttpRequest, job_id: int, *, owner_only: bool = False) -> ImportJob:
    try:
        return selectors.job_get_for_actor(actor=request.user, job_id=job_id, owner_only=owner_only)
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc


def _importers_for(request: HttpRequest) -> list[Importer]:
    return [i for i in importers.all() if has_action(request.user, i.action)]


@never_cache
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    available = _importers_for(request)
    if not available:
        raise _not_found()
    return render(
        request,
        "spreadsheets/index.html",
        {"importers": available, "jobs": selectors.jobs_for_actor(actor=request.user)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, importer_key: str) -> HttpResponse:
    importer = importers.get(importer_key)
    if importer is None or not has_action(request.user, importer.action):
        raise _not_found()
    areas = roots_for(request.user, importer.action)
    form = UploadForm(request.POST or None, request.FILES or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Refused by its size before it is read (it waits on disk, not in memory).
            readers.check_size(upload.size or 0, readers.Limits.from_settings())
            job, created = services.job_upload(
                actor=request.user,  # type: ignore[arg-type]
                importer_key=importer.key,
                file_name=upload.name or "",
                data=upload.read(),
                area_code=form.cleaned_data.get("area", ""),
            )
        except (InvalidInput, NotFound) as exc:
            form.add_error("file", str(exc.message))
        else:
            if not created:
                messages.info(
                    request, _("This file was uploaded before: here is that import, unchanged.")
                )
            return redirect("imports:detail", job_id=job.pk)
    return render(
        request,
        "spreadsheets/new.html",
        {
            "importer": importer,
            "form": form,
            "max_mb": readers.megabytes(settings.SIHAI_IMPORT_MAX_BYTES),
        },
    )


def _problems(job: ImportJob) -> list[dict[str, Any]]:
    return [
        {
            "row": issue.row,
            "column": column_letter(issue.column) if issue.column is not None else "",
            "message": issue.message,
            "note": issue.code == "import.exists",
        }
        for issue in selectors.first_issues(job=job, limit=FIRST_PROBLEMS)
    ]


@never_cache
@login_required
@require_GET
def detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    importer = services.importer_of(job)
    owner = job.owner_id == request.user.pk
    context: dict[str, Any] = {
        "job": job,
        "importer": importer,
        "owner": owner,
        "running": job.state in RUNNING,
        "stale": services.stale(job),
        "problems": _problems(job) if job.state in {JobState.CHECKED, JobState.DONE} else [],
        "has_errors": selectors.has_error_workbook(job=job),
        "mapped": selectors.mapped_fields(job=job, importer=importer),
        "progress": selectors.progress(job=job),
        "read_as": _("read as CSV")
        if job.file_kind == "csv" and not job.file_name.lower().endswith((".csv", ".txt"))
        else "",
    }
    if owner and job.state in {JobState.UPLOADED, JobState.CHECKED}:
        context.update(_mapping_context(request, job, importer))
    if owner and job.state in {JobState.CHECKED, JobState.FAILED}:
        context["start_form"] = StartForm(initial={"evidence": job.evidence}, importer=importer)
    return render(request, "spreadsheets/detail.html", context)


def _mapping_context(
    request: HttpRequest, job: ImportJob, importer: Importer, form: MappingForm | None = None
) -> dict[str, Any]:
    sheet = request.GET.get("sheet") or request.POST.get("sheet") or None
    raw_row = request.GET.get("header_row") or request.POST.get("header_row") or ""
    header_row = int(raw_row) if raw_row.isdigit() and 0 < int(raw_row) <= 1000 else None
    try:
        preview = services.header_preview(job, sheet=sheet, header_row=header_row)
    except InvalidInput as exc:
        return {"mapping_error": str(exc.message), "sheet_names": job.sheet_names}
    if form is None:
        initial: dict[str, Any] = {"sheet": preview["sheet"], "header_row": preview["header_row"]}
        initial.update({f"col_{i}": key for i, key in preview["mapping"].items()})
        form = MappingForm(
            initial=initial,
            importer=importer,
            header=preview["header"],
            refused=preview["refused"],
        )
    refused = [
        {
            "column": column_letter(index),
            "header": preview["header"][index],
            "reason": next(r.reason for r in importer.refused if r.key == key),
        }
        for index, key in sorted(preview["refused"].items())
    ]
    return {
        "mapping_form": form,
        "preview": preview,
        "refused": refused,
        "defaults": importer.describe_defaults(importer.defaults(actor=request.user)),
        "sheet_names": preview["sheet_names"],
    }


@never_cache
@login_required
@require_POST
def map_columns(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id, owner_only=True)
    importer = services.importer_of(job)
    context = _mapping_context(request, job, importer)
    if "mapping_form" not in context:
        messages.error(request, context.get("mapping_error", ""))
        return redirect("imports:detail", job_id=job.pk)
    preview = context["preview"]
    form = MappingForm(
        request.POST, importer=importer, header=preview["header"], refused=preview["refused"]
    )
    if form.is_valid():
        try:
            services.job_map(
                actor=request.user,  # type: ignore[arg-type]
                job_id=job.pk,
                sheet=form.cleaned_data["sheet"],
                header_row=form.cleaned_data["header_row"],
                mapping=form.mapping(),
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            return redirect("imports:detail", job_id=job.pk)
    context = {
        "job": job,
        "importer": importer,
        "owner": True,
        "progress": selectors.progress(job=job),
        **_mapping_context(request, job, importer, form),
    }
    return render(request, "spreadsheets/detail.html", context, status=400)


@never_cache
@login_required
@require_POST
def start(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id, owner_only=True)
    try:
        # The service refuses a missing consent reference with its own message.
        services.job_start(
            actor=request.user,  # type: ignore[arg-type]
            job_id=job.pk,
            evidence=request.POST.get("evidence", "")[:200],
        )
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
    return redirect("imports:detail", job_id=job.pk)


def _owner_step(
    request: HttpRequest, job_id: int, step: Callable[..., ImportJob], done: str = ""
) -> HttpResponse:
    """Run one of the owner's steps on a job; a refusal is shown as a message on the job."""
    job = _job(request, job_id, owner_only=True)
    try:
        step(actor=request.user, job_id=job.pk)
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
    else:
        if done:
            messages.success(request, done)
    return redirect("imports:detail", job_id=job.pk)


@never_cache
@login_required
@require_POST
def cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    return _owner_step(
        request, job_id, services.job_cancel, _("Cancelled; the uploaded file is deleted.")
    )


@never_cache
@login_required
@require_POST
def resume(request: HttpRequest, job_id: int) -> HttpResponse:
    return _owner_step(request, job_id, services.job_resume)


@never_cache
@login_required
@require_GET
def progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress bar alone, polled by htmx; when the pass ends, the page reloads."""
    job = _job(request, job_id)
    response = render(
        request,
        "spreadsheets/_progress.html",
        {"job": job, "progress": selectors.progress(job=job), "running": job.state in RUNNING},
    )
    if job.state not in RUNNING and request.headers.get("HX-Request"):
        response["HX-Redirect"] = reverse("imports:detail", kwargs={"job_id": job.pk})
    return response


@never_cache
@login_required
@require_GET
def errors(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job, data = services.errors_download(actor=request.user, job_id=job_id)  # type: ignore[arg-type]
    except NotFound as exc:
        raise PageNotFound(exc.message) from exc
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
