import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from sihai.accounts.models import RoleAssignment
from sihai.areas.models import AdministrativeArea
from sihai.areas.services import AreaDataError, areas_load, areas_load_file, short_name_for

HEADER = "code,name,level,parent_code\n"
GOOD = HEADER + (
    "5301,昆明市,city,53\n"
    "530102,五华区,county,5301\n"
    "530102001,华山街道,township,530102\n"
    "530102001001,翠湖西路社区居民委员会,village,530102001\n"
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in English here; test_problems_are_reported_in_chinese covers zh.
    with translation.override("en"):
        yield


@pytest.fixture
def empty_tree(db: None) -> None:
    RoleAssignment.objects.all().delete()
    for level in ("village", "township", "county", "city"):
        AdministrativeArea.objects.filter(level=level).delete()
    assert AdministrativeArea.objects.count() == 0


def test_the_real_kunming_file_has_the_real_counts(empty_tree: None) -> None:
    report = areas_load_file()
    assert report.created == 1903
    assert report.by_level == {"city": 1, "county": 14, "township": 150, "village": 1738}
    assert AdministrativeArea.objects.filter(level="city").count() == 1
    assert AdministrativeArea.objects.filter(level="county").count() == 14
    assert AdministrativeArea.objects.filter(level="township").count() == 150
    assert AdministrativeArea.objects.filter(level="village").count() == 1738
    cuihu = AdministrativeArea.objects.get(code="530102001001")
    assert cuihu.parent_id == "530102001"
    assert cuihu.short_name == "翠湖西路社区"
    assert AdministrativeArea.objects.get(code="5301").parent_id is None


def test_loading_twice_changes_nothing(db: None) -> None:
    # The session fixture already loaded the file once.
    report = areas_load_file()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1903)


def test_a_renamed_area_is_updated_in_place(db: None) -> None:
    areas_load(text=GOOD.replace("华山街道", "华山街道办"))
    assert AdministrativeArea.objects.get(code="530102001").name == "华山街道办"
    report = areas_load(text=GOOD)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)


@pytest.mark.parametrize(
    ("extra_rows", "expected"),
    [
        ("530102001002,某社区,village,530102009\n", "line 6: unknown parent “530102009”"),
        ("53010200100,某社区,village,530102001\n", "line 6: a village code has 12 digits"),
        (
            "530102001001,重复社区,village,530102001\n",
            "line 6: duplicate code 530102001001 (first on line 5)",
        ),
        (
            "53010200100A,某社区,village,530102001\n",
            "line 6: the code “53010200100A” must contain digits only",
        ),
        ("530102001002,某社区,hamlet,530102001\n", "line 6: unknown level “hamlet”"),
        ("530102001002,,village,530102001\n", "line 6: the name is empty"),
        ("530102001002,某社区,village\n", "line 6: expected 4 columns, found 3"),
        (
            "530103001001,某社区,village,530102001\n",
            "line 6: 530103001001 cannot be inside 530102001",
        ),
    ],
)
def test_a_bad_row_is_reported_by_line_and_nothing_is_loaded(
    empty_tree: None, extra_rows: str, expected: str
) -> None:
    with pytest.raises(AreaDataError) as caught:
        areas_load(text=GOOD + extra_rows)
    assert any(problem.startswith(expected) for problem in caught.value.problems), (
        caught.value.problems
    )
    assert AdministrativeArea.objects.count() == 0


def test_every_problem_is_listed_not_just_the_first(empty_tree: None) -> None:
    bad = GOOD + "12,x,village,530102001\n" + "530102001001,y,village,530102001\n"
    with pytest.raises(AreaDataError) as caught:
        areas_load(text=bad)
    assert [p.split(":")[0] for p in caught.value.problems] == ["line 6", "line 7"]


def test_a_wrong_header_is_refused(empty_tree: None) -> None:
    with pytest.raises(AreaDataError) as caught:
        areas_load(text="code;name;level;parent\n5301;昆明市;city;53\n")
    assert caught.value.problems == ["line 1: the header must be code,name,level,parent_code"]
    assert AdministrativeArea.objects.count() == 0


def test_a_bad_reload_leaves_the_existing_tree_untouched(db: None) -> None:
    before = list(AdministrativeArea.objects.order_by("code").values_list("code", "name"))
    with pytest.raises(AreaDataError):
        areas_load(text=GOOD.replace("华山街道", "改名") + "9,x,village,1\n")
    assert list(AdministrativeArea.objects.order_by("code").values_list("code", "name")) == before


def test_command_reports_each_bad_line_and_fails(empty_tree: None, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(GOOD + "530102001002,某社区,village,530102009\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_areas", file=path, stderr=err)
    assert "line 6: unknown parent" in err.getvalue()
    assert AdministrativeArea.objects.count() == 0


def test_problems_are_reported_in_chinese(empty_tree: None) -> None:
    with translation.override("zh-hans"), pytest.raises(AreaDataError) as caught:
        areas_load(text=GOOD + "530102001002,某社区,village,530102009\n")
    assert caught.value.problems == ["第 6 行：530102001002 的上级“530102009”不存在"]
    assert str(caught.value.message) == "区划文件有 1 处问题，未导入任何数据。"


def test_command_reports_a_missing_file(empty_tree: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("load_areas", file=tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("翠湖西路社区居民委员会", "翠湖西路社区"),
        ("小坝社区居委会", "小坝社区"),
        ("联盟村村民委员会", "联盟村"),
        ("华山街道", "华山街道"),
        ("居民委员会", "居民委员会"),
    ],
)
def test_short_names(name: str, short: str) -> None:
    assert short_name_for(name) == short


def test_a_change_to_the_tree_is_audited(db: None) -> None:
    from sihai.audit.models import AuditEntry  # noqa: PLC0415

    areas_load(text=GOOD.replace("华山街道", "华山街道办"))
    entry = AuditEntry.objects.filter(action="areas.loaded").order_by("-seq").first()
    assert entry is not None
    assert entry.changes["updated"] == ["530102001"]
    before = AuditEntry.objects.count()
    areas_load_file()  # puts the real name back: audited again
    areas_load_file()  # nothing changes: nothing recorded
    assert AuditEntry.objects.count() == before + 1
