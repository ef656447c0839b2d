import pytest
from django.utils import translation

from sihai.areas.codes import (
    Level,
    ancestor_codes,
    child_code_length,
    contains,
    is_valid_code,
    level_of,
    minimal_roots,
    validate_code,
)
from sihai.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("5301", Level.CITY),
        ("530102", Level.COUNTY),
        ("530102001", Level.TOWNSHIP),
        ("530102001001", Level.VILLAGE),
    ],
)
def test_level_follows_code_length(code: str, level: Level) -> None:
    assert level_of(code) == level


@pytest.mark.parametrize(
    "bad",
    ["", "53", "53010", "5301020010011", "abcd", "5301a2", "５３０１", "5301 ", "-5301", "1" * 200],
)
def test_malformed_codes_are_rejected_with_a_clear_message(bad: str) -> None:
    assert not is_valid_code(bad)
    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        validate_code(bad)
    assert caught.value.code == "area.invalid_code"
    assert "4, 6, 9 or 12 digits" in str(caught.value.message)
    assert len(str(caught.value.message)) < 120  # an over-long code is shortened, not echoed whole
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as caught:
        validate_code(bad)
    assert "区划代码为 4、6、9 或 12 位数字" in str(caught.value.message)


def test_an_area_contains_every_code_starting_with_its_own() -> None:
    assert contains("530102", "530102001001")
    assert contains("530102", "530102")
    assert not contains("530102", "530103004001")
    assert not contains("530102001001", "530102001")


def test_ancestors_run_from_the_city_down() -> None:
    assert ancestor_codes("530102001001") == ["5301", "530102", "530102001"]
    assert ancestor_codes("5301") == []


def test_child_code_length() -> None:
    assert child_code_length("5301") == 6
    assert child_code_length("530102") == 9
    assert child_code_length("530102001") == 12
    assert child_code_length("530102001001") is None


def test_minimal_roots_drop_nested_codes() -> None:
    assert minimal_roots(["530102001001", "5301", "530102"]) == ["5301"]
    assert minimal_roots(["530102001", "530103004"]) == ["530102001", "530103004"]
    assert minimal_roots([]) == []
