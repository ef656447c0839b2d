"""Importing a residents' register end to end: upload, map, check, import; bad input."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

import pytest

from sihai.accounts.models import User
from sihai.audit.models import AccessLogEntry, AuditEntry
from sihai.core.errors import InvalidInput, NotFound
from sihai.core.synth import id_number
from sihai.residents.models import Consent, Resident
from sihai.spreadsheets import selectors, services
from sihai.spreadsheets.models import FileRole, ImportBatch, ImportFile, ImportIssue, ImportJob
from sihai.spreadsheets.tests.factories import csv_bytes, xlsx

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"
HEADER = ["序号", "姓名", "身份证号", "手机号", "出生日期", "现居社区", "民族"]


def ids(count: int, seed: int = 7) -> list[tuple[str, datetime.date]]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        born = datetime.date(1980, 1, 1) + datetime.timedelta(days=97 * n)
        out.append((id_number(rng, born, female=n % 2 == 0), born))
    return out


def register(count: int = 5, *, extra: list[list[Any]] | None = None) -> list[list[Any]]:
    rows: list[list[Any]] = [["翠湖西路社区流动人口台账"], [], HEADER]
    for n, (number, born) in enumerate(ids(count)):
        rows.append([n + 1, f"居民{n}", number, f"1391234{n:04d}", born, "翠湖西路社区", "汉族"])
    rows.extend(extra or [])
    return rows


def upload_and_check(actor: User, data: bytes, *, name: str = "台账.xlsx") -> ImportJob:
    job, created = services.job_upload(
        actor=actor, importer_key="residents", file_name=name, data=data
    )
    assert created
    services.job_map_as_suggested(actor=actor, job_id=job.pk)
    job.refresh_from_db()
    return job


def issues(job: ImportJob, phase: str = "check") -> list[tuple[int, int | None, str]]:
    return list(
        ImportIssue.objects.filter(job=job, phase=phase)
        .order_by("row", "column")
        .values_list("row", "column", "code")
    )


def test_a_worker_imports_a_register_with_a_title_row_and_an_ethnicity_column(
    persona: Callable[[str], User],
) -> None:
    worker = persona("cuihu_worker")
    data = xlsx(register(5), merges=["A1:G1"])
    job = upload_and_check(worker, data)
    assert job.state == "checked"
    assert job.header_row == 3
    assert job.mapping == {
        "1": "name",
        "2": "id_number",
        "3": "phone",
        "4": "birth_date",
        "5": "community",
    }
    assert job.refused_columns == ["民族"]
    assert (job.rows_total, job.rows_valid, job.rows_invalid, job.rows_existing) == (5, 5, 0, 0)
    assert Resident.objects.count() == 0

    services.job_start(actor=worker, job_id=job.pk, evidence="翠湖 2026 同意书 第 3 卷")
    job.refresh_from_db()
    assert job.state == "done"
    assert job.rows_imported == 5
    imported = Resident.objects.order_by("pk")
    assert [r.name for r in imported] == [f"居民{n}" for n in range(5)]
    assert {r.community_id for r in imported} == {CUIHU}
    assert {r.registered_via for r in imported} == {"import"}
    assert {r.registered_by_id for r in imported} == {worker.pk}
    assert {r.ethnicity for r in imported} == {None}
    assert imported[0].id_number == ids(5)[0][0]
    assert imported[0].phone == "+8613912340000"
    consents = Consent.objects.filter(resident__in=imported)
    assert consents.count() == 5
    assert {c.evidence for c in consents} == {f"import {job.pk}: 翠湖 2026 同意书 第 3 卷"}
    assert {(c.purpose, c.channel, c.recorded_by_id) for c in consents} == {
        ("service_delivery", "counter", worker.pk)
    }
    batch = AuditEntry.objects.get(action="residents.imported")
    assert batch.changes["created"] == 5
    assert batch.changes["residents"] == [r.pk for r in imported]
    assert ids(5)[0][0] not in str(batch.changes)
    assert ImportBatch.objects.filter(job=job).count() == 1
    # The upload is deleted once the job is done; no error workbook (nothing was wrong).
    assert not ImportFile.objects.filter(job=job).exists()


def test_reuploading_the_same_file_changes_nothing(persona: Callable[[str], User]) -> None:
    worker = persona("cuihu_worker")
    data = xlsx(register(3))
    job = upload_and_check(worker, data)
    services.job_start(actor=worker, job_id=job.pk, evidence="f-1")
    before = (Resident.objects.count(), AuditEntry.objects.count(), ImportJob.objects.count())
    again, created = services.job_upload(
        actor=worker, importer_key="residents", file_name="copy.xlsx", data=data
    )
    assert (again.pk, created) == (job.pk, False)
    assert (Resident.objects.count(), AuditEntry.objects.count(), ImportJob.objects.count()) == (
        before
    )


def test_rows_already_registered_are_skipped_in_a_changed_file(
    persona: Callable[[str], User],
) -> None:
    worker = persona("cuihu_worker")
    first = upload_and_check(worker, xlsx(register(3)))
    services.job_start(actor=worker, job_id=first.pk, evidence="f-1")
    second = upload_and_check(worker, xlsx(register(5)), name="台账（更新）.xlsx")
    assert (second.rows_valid, second.rows_existing) == (2, 3)
    assert [code for _r, _c, code in issues(second)] == ["import.exists"] * 3
    services.job_start(actor=worker, job_id=second.pk, evidence="f-2")
    second.refresh_from_db()
    assert (second.rows_imported, second.rows_existing) == (2, 3)
    assert Resident.objects.count() == 5


def test_every_bad_cell_gets_its_own_message(persona: Callable[[str], User]) -> None:
    worker = persona("cuihu_worker")
    (good, born), (other, other_born) = ids(2, seed=11)
    extra = [
        # Wrong check digit, bad phone, impossible date: three messages on one row.
        [
            10,
            "甲",
            good[:17] + ("0" if good[17] != "0" else "1"),
            "123",
            "2024-13-01",
            "翠湖西路社区",
        ],
        # Outside the worker's community.
        [11, "乙", other, "13900001111", other_born, "小坝社区"],
        # The same ID number twice in the file (with a lowercase x or full-width digits).
        [12, "丙", good.lower(), "13900002222", born, "翠湖西路社区"],
        [
            13,
            "丁",
            good.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            "",
            born,
            "翠湖西路社区",
        ],
        # No ID: date of birth is then needed.
        [14, "戊", "", "13900003333", None, "翠湖西路社区"],
    ]
    job = upload_and_check(worker, xlsx(register(0, extra=extra)))
    assert (job.rows_total, job.rows_valid, job.rows_invalid) == (5, 1, 4)
    assert issues(job) == [
        (4, 2, "id.check_digit"),
        (4, 3, "phone.invalid"),
        (4, 4, "cell.date"),
        (5, 5, "resident.not_your_area"),
        (7, 2, "import.duplicate_in_file"),
        (8, 4, "cell.required"),
    ]
    assert job.cells_invalid == 6
    services.job_start(actor=worker, job_id=job.pk, evidence="f-3")
    job.refresh_from_db()
    assert job.rows_imported == 1
    assert Resident.objects.get().id_number == good.upper()
    assert not Resident.objects.filter(community__code__startswith="530103").exists()


def test_without_the_consent_reference_nothing_is_imported(persona: Callable[[str], User]) -> None:
    worker = persona("cuihu_worker")
    job = upload_and_check(worker, xlsx(register(2)))
    audit_before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.job_start(actor=worker, job_id=job.pk, evidence="  ")
    assert refused.value.code == "import.evidence"
    job.refresh_from_db()
    assert job.state == "checked"
    assert Resident.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_ethnicity_columns_cannot_be_mapped_and_are_never_stored(
    persona: Callable[[str], User],
) -> None:
    worker = persona("cuihu_worker")
    job, _created = services.job_upload(
        actor=worker, importer_key="residents", file_name="r.xlsx", data=xlsx(register(2))
    )
    preview = services.header_preview(job)
    assert preview["refused"] == {6: "ethnicity"}
    with pytest.raises(InvalidInput) as refused:
        services.job_map(
            actor=worker,
            job_id=job.pk,
            sheet=preview["sheet"],
            header_row=3,
            mapping={**preview["mapping"], 6: "name"},
        )
    assert refused.value.code == "import.refused_column"
    job.refresh_from_db()
    assert job.state == "uploaded"
    assert "汉族" not in str(ImportJob.objects.filter(pk=job.pk).values().get())


def test_other_areas_and_other_roles_cannot_see_or_use_a_job(
    persona: Callable[[str], User],
) -> None:
    worker = persona("cuihu_worker")
    job = upload_and_check(worker, xlsx(register(2)))
    for name in ("xiaoba_worker", "wuhua_officer", "auditadmin", "lianmeng_officer"):
        with pytest.raises(NotFound):
            selectors.job_get_for_actor(actor=persona(name), job_id=job.pk)
        with pytest.raises(NotFound):
            services.job_start(actor=persona(name), job_id=job.pk, evidence="x")
    # The subdistrict officer over the community sees it but cannot start another's job.
    assert selectors.job_get_for_actor(actor=persona("huashan_officer"), job_id=job.pk) == job
    with pytest.raises(NotFound):
        services.job_start(actor=persona("huashan_officer"), job_id=job.pk, evidence="x")
    assert Resident.objects.count() == 0
    with pytest.raises(NotFound):
        services.job_upload(
            actor=persona("wuhua_officer"), importer_key="residents", file_name="x", data=b"a,b\n"
        )
    assert ImportJob.objects.count() == 1


def test_the_error_workbook_is_logged_and_only_for_owner_and_supervisor(
    persona: Callable[[str], User],
) -> None:
    worker = persona("cuihu_worker")
    job = upload_and_check(
        worker,
        xlsx(register(1, extra=[[9, '=HYPERLINK("x")', "123", "", "", "翠湖西路社区", "回族"]])),
    )
    _job, data = services.errors_download(actor=worker, job_id=job.pk)
    assert data.startswith(b"PK")
    assert (
        AccessLogEntry.objects.filter(
            actor_label="cuihu_worker", purpose="import_errors", subject_id=str(job.pk)
        ).count()
        == 1
    )
    services.errors_download(actor=persona("huashan_officer"), job_id=job.pk)
    with pytest.raises(NotFound):
        services.errors_download(actor=persona("xiaoba_worker"), job_id=job.pk)
    assert AccessLogEntry.objects.filter(purpose="import_errors").count() == 2
    stored = bytes(ImportFile.objects.get(job=job, role=FileRole.ERRORS).content)
    assert b"PK" not in stored[:4]  # encrypted at rest


def test_a_csv_in_gb18030_named_xlsx_is_read_as_csv(persona: Callable[[str], User]) -> None:
    worker = persona("cuihu_worker")
    rows = [["姓名", "身份证号", "出生日期", "社区代码"]]
    for n, (number, born) in enumerate(ids(3, seed=5)):
        rows.append([f"李{n}", number, f"{born.year}年{born.month}月{born.day}日", CUIHU])
    job = upload_and_check(worker, csv_bytes(rows, encoding="gb18030"), name="really.xlsx")
    assert job.file_kind == "csv"
    assert (job.rows_valid, job.rows_invalid) == (3, 0)


def test_a_stopped_import_resumes_after_its_last_batch(
    persona: Callable[[str], User], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SIHAI_IMPORT_BATCH_ROWS = 2
    worker = persona("cuihu_worker")
    bad = [0, "坏", "123", "", "1990-01-01", "翠湖西路社区"]
    rows = register(5)
    rows.insert(3, bad)  # the first data row is bad: its problem is in the first batch
    job = upload_and_check(worker, xlsx(rows))
    assert (job.rows_valid, job.rows_invalid) == (5, 1)

    from sihai.residents.imports import ResidentImporter  # noqa: PLC0415

    real_write = ResidentImporter.write
    calls = {"n": 0}

    def failing_write(self: ResidentImporter, *args: Any, **kwargs: Any) -> list[int]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("database went away")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(ResidentImporter, "write", failing_write)
    # The task backend records the task as failed; the job says it stopped and can resume.
    services.job_start(actor=worker, job_id=job.pk, evidence="f-9")
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.failure == "导入因意外错误而停止，可以继续。"
    assert list(ImportBatch.objects.filter(job=job).values_list("first_row", "last_row")) == [
        (4, 5)
    ]
    assert (job.next_row, job.rows_imported, Resident.objects.count()) == (6, 1, 1)

    services.job_resume(actor=worker, job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_imported, job.rows_invalid) == ("done", 5, 1)
    assert Resident.objects.count() == 5
    assert list(ImportBatch.objects.filter(job=job).values_list("first_row", flat=True)) == [
        4,
        6,
        8,
    ]
    _job, data = services.errors_download(actor=worker, job_id=job.pk)
    import io  # noqa: PLC0415

    import openpyxl  # noqa: PLC0415

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [sheet.cell(row=2, column=1).value, sheet.cell(row=2, column=3).value] == [4, "坏"]


def test_the_sample_register_in_the_repository_checks_as_documented(
    persona: Callable[[str], User],
) -> None:
    from pathlib import Path  # noqa: PLC0415

    import sihai.residents  # noqa: PLC0415

    sample = Path(sihai.residents.__file__).parent / "data" / "sample_register.xlsx"
    job = upload_and_check(persona("cuihu_worker"), sample.read_bytes())
    assert (job.header_row, job.rows_total, job.rows_valid, job.rows_invalid) == (3, 50, 40, 10)
    assert job.refused_columns == ["民族"]
    assert sorted(code for _row, _column, code in issues(job)) == [
        "cell.date",
        "cell.id_as_number",
        "cell.required",
        "cell.required",
        "id.check_digit",
        "id.check_digit",
        "import.duplicate_in_file",
        "phone.invalid",
        "resident.birth_date",
        "resident.not_your_area",
    ]


def test_an_ethnic_group_under_another_header_is_not_imported(
    persona: Callable[[str], User],
) -> None:
    worker = persona("cuihu_worker")
    (number, born), (other, other_born) = ids(2, seed=21)
    rows: list[list[Any]] = [
        ["姓名", "身份证号", "出生日期", "现住址"],
        ["甲", number, born, "彝族"],
        ["乙", other, other_born, "翠湖西路 3 号"],
    ]
    job = upload_and_check(worker, xlsx(rows))
    assert issues(job) == [(2, 3, "resident.sensitive_value")]
    services.job_start(actor=worker, job_id=job.pk, evidence="f-4")
    assert [r.address for r in Resident.objects.all()] == ["翠湖西路 3 号"]
