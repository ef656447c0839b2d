"""The rule language: parsing, types, positions of errors, evaluation."""

import pytest
from django.utils import translation

from sihai.applications import rules


def test_a_rule_reads_only_whitelisted_fields_and_evaluates() -> None:
    check = rules.compile_rule('child.age in 6..15 and resident.insurance in ["none", "elsewhere"]')
    assert check({"child.age": 8, "resident.insurance": "none"}) is True
    assert check({"child.age": 30, "resident.insurance": "none"}) is False
    assert check({"child.age": 8, "resident.insurance": "employee"}) is False


def test_or_not_comparisons_and_parentheses() -> None:
    check = rules.compile_rule(
        "not resident.has_residence_permit"
        " and (resident.residence_months >= 6 or resident.age < 18)"
    )
    assert check(
        {"resident.has_residence_permit": False, "resident.residence_months": 7, "resident.age": 30}
    )
    assert not check({"resident.has_residence_permit": True, "resident.residence_months": 7})
    assert rules.compile_rule('resident.housing not in ["own"]')({"resident.housing": "renting"})
    assert not rules.compile_rule("resident.age != 30")({"resident.age": 30})


def test_an_unknown_field_is_refused_with_its_position() -> None:
    with pytest.raises(rules.RuleError) as error:
        rules.parse("resident.age >= 16 and resident.salary > 3000")
    assert (error.value.line, error.value.column) == (1, 24)
    assert "resident.salary" in error.value.message


def test_the_position_counts_lines_of_the_whole_editor_text() -> None:
    text = "resident.age >= 16 | 年满16岁 | 16 or older\n\nresident.income > 1 | 收入 | income\n"
    with pytest.raises(rules.RuleError) as error:
        rules.parse_conditions(text)
    assert (error.value.line, error.value.column) == (3, 1)
    with translation.override("en"):
        assert "Line 3, column 1" in str(error.value)
    with translation.override("zh-hans"):
        assert "第 3 行第 1 列" in str(error.value)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("resident.age >= ", 17),
        ('resident.age == "ten"', 14),
        ("resident.age >= 6 and", 22),
        ("__import__('os')", 12),
        ("resident.age; 1", 13),
        ("resident.housing < 3", 18),
        ("resident.age", 1),
        ("", 1),
    ],
)
def test_bad_rules_are_refused_with_a_column(text: str, column: int) -> None:
    with pytest.raises(rules.RuleError) as error:
        rules.parse(text)
    assert error.value.column == column


def test_every_shipped_condition_parses() -> None:
    from sihai.applications.catalogue import TYPES  # noqa: PLC0415

    for kind in TYPES:
        for condition in kind["conditions"]:
            rules.parse(condition["rule"])
