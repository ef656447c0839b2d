"""The readers against the import's worst case: bombs, disguises, merges, encodings, dates."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from sihai.core.errors import InvalidInput
from sihai.spreadsheets import cells, readers, writers
from sihai.spreadsheets.tests.factories import csv_bytes, xlsx

LIMITS = readers.Limits(
    max_bytes=20_000_000,
    max_uncompressed=400_000_000,
    max_ratio=200,
    max_entries=1_000,
    max_rows=200_000,
)


def rows_of(data: bytes, sheet: str | None = None) -> list[tuple[int, list[readers.Value]]]:
    return list(readers.open_table(data, sheet=sheet, limits=LIMITS).rows())


def test_merged_cells_spread_their_value_and_empty_rows_keep_numbering() -> None:
    data = xlsx(
        [["标题"], [], ["姓名", "社区"], ["甲", "翠湖"], ["乙", None], ["丙", None]],
        merges=["A1:B1", "B4:B6"],
    )
    assert rows_of(data) == [
        (1, ["标题", "标题"]),
        (2, []),
        (3, ["姓名", "社区"]),
        (4, ["甲", "翠湖"]),
        (5, ["乙", "翠湖"]),
        (6, ["丙", "翠湖"]),
    ]


def test_a_formula_is_read_as_its_text_never_evaluated() -> None:
    data = xlsx([["姓名"], ["=1+1"], ['=HYPERLINK("http://x","y")']])
    assert [values for _n, values in rows_of(data)] == [
        ["姓名"],
        ["=1+1"],
        ['=HYPERLINK("http://x","y")'],
    ]


def test_a_wrong_sheet_is_named_and_other_sheets_are_listed() -> None:
    data = xlsx([["姓名"]], extra_sheets=["说明"])
    table = readers.open_table(data, limits=LIMITS)
    assert table.sheet_names == ["台账", "说明"]
    assert rows_of(data, sheet="说明") == [(1, ["说明", "这一页不是台账"])]
    with pytest.raises(InvalidInput) as missing:
        readers.open_table(data, sheet="Sheet9", limits=LIMITS)
    assert missing.value.code == "sheet.no_sheet"


def test_a_file_over_the_cap_is_refused_before_parsing() -> None:
    with pytest.raises(InvalidInput) as refused:
        readers.open_table(b"x" * 50_000_001, limits=LIMITS)
    assert refused.value.code == "sheet.too_large"
    assert "50" in str(refused.value.message)


def _bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory() -> None:
    bomb = _bomb(100_000_000)  # 100 MB of zeros: about 100 KB compressed, ratio ~1000
    assert len(bomb) < 200_000
    with pytest.raises(InvalidInput) as refused:
        readers.open_table(bomb, limits=LIMITS)
    assert refused.value.code == "sheet.zip_bomb"


def test_a_workbook_declaring_too_much_in_total_is_refused() -> None:
    small = readers.Limits(20_000_000, 10_000, 200, 1_000, 200_000)
    with pytest.raises(InvalidInput) as refused:
        readers.open_table(xlsx([["姓名"]] * 200), limits=small)
    assert refused.value.code == "sheet.zip_bomb"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "sheet.xls"),
        (b"\x89PNG\r\n\x1a\n\0\0\0", "sheet.not_a_spreadsheet"),
        (b"PK\x03\x04 not really a zip", "sheet.corrupt"),
        (b"", "sheet.empty"),
    ],
)
def test_what_is_not_a_register_is_refused_with_its_reason(data: bytes, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        readers.open_table(data, limits=LIMITS)
    assert refused.value.code == code


def test_a_word_document_is_not_a_spreadsheet() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(InvalidInput) as refused:
        readers.open_table(out.getvalue(), limits=LIMITS)
    assert refused.value.code == "sheet.not_a_spreadsheet"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("utf-16", b"")],
)
def test_csv_encodings_chinese_excel_writes(encoding: str, bom: bytes) -> None:
    data = bom + csv_bytes([["姓名", "社区"], ["阿依·木合塔尔", "翠湖西路社区"]], encoding=encoding)
    table = readers.open_table(data, limits=LIMITS)
    assert table.kind == "csv"
    assert [values for _n, values in table.rows()] == [
        ["姓名", "社区"],
        ["阿依·木合塔尔", "翠湖西路社区"],
    ]


def test_a_tab_separated_file_is_sniffed() -> None:
    data = csv_bytes([["姓名", "手机号"], ["甲", "13912345678"]], delimiter="\t")
    assert [v for _n, v in readers.open_table(data, limits=LIMITS).rows()][1] == [
        "甲",
        "13912345678",
    ]


def test_an_xlsx_named_file_that_is_csv_is_read_as_csv() -> None:
    assert readers.detect_kind(b"\xe5\xa7\x93\xe5\x90\x8d,x\r\n") == "csv"


def test_too_many_rows_are_refused() -> None:
    tiny = readers.Limits(20_000_000, 400_000_000, 200, 1_000, 10)
    with pytest.raises(InvalidInput) as refused:
        list(readers.open_table(csv_bytes([["x"]] * 100), limits=tiny).rows())
    assert refused.value.code == "sheet.too_many_rows"


@pytest.mark.parametrize(
    "raw",
    [
        datetime.datetime(2024, 3, 5),  # noqa: DTZ001  (a date Excel recognised)
        45356,  # an Excel serial number
        45356.0,
        "45356",
        "2024-03-05",
        "2024/3/5",
        "2024.3.5",
        "2024年3月5日",
        "２０２４年３月５日",
        "20240305",
        "2024-03-05 00:00:00",
    ],
)
def test_dates_as_registers_write_them(raw: readers.Value) -> None:
    assert cells.parse_date(raw) == datetime.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("raw", "code"),
    [("2024-02-30", "cell.date"), ("三月五日", "cell.date_format"), (3.5, "cell.date_format")],
)
def test_impossible_dates_are_refused(raw: readers.Value, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        cells.parse_date(raw)
    assert refused.value.code == code


def test_an_id_number_excel_turned_into_a_number_is_explained() -> None:
    with pytest.raises(InvalidInput) as refused:
        cells.parse_id_number(1.10105194912310e17)
    assert refused.value.code == "cell.id_as_number"
    assert cells.parse_id_number("11010519491231002x") == "11010519491231002X"
    assert cells.parse_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"


def test_exports_escape_formula_starts() -> None:
    assert [
        writers.csv_safe(v) for v in ("=1+1", "+86139", "-2", "@SUM(A1)", "\tx", "\rx", "ok", 5)
    ] == [
        "'=1+1",
        "'+86139",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok",
        "5",
    ]
    data = writers.export_csv(["姓名"], [["=cmd|' /C calc'!A0"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert "'=cmd" in data.decode("utf-8-sig")


def test_xlsx_exports_keep_formula_text_as_text() -> None:
    data = writers.export_xlsx(["姓名", "电话"], [["=1+1", "+8613912345678"], ["ok", 3]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula cell at all
    assert "=1+1" in sheet
    # Read back, the text is unchanged (the quote prefix is a style, not a character).
    assert [v for _n, v in rows_of(data)] == [
        ["姓名", "电话"],
        ["=1+1", "+8613912345678"],
        ["ok", 3],
    ]


def test_uploaded_bytes_are_encrypted_for_one_job_and_role_only() -> None:
    from sihai.core import crypto  # noqa: PLC0415

    data = b"PK\x03\x04 a register"
    token = crypto.encrypt_bytes(data, context="spreadsheets.importfile.upload.1")
    assert data not in token
    assert crypto.decrypt_bytes(token, context="spreadsheets.importfile.upload.1") == data
    for context, stored in (
        ("spreadsheets.importfile.upload.2", token),  # another job's file
        ("spreadsheets.importfile.upload.1", token[:-1] + bytes([token[-1] ^ 1])),  # tampered
        ("spreadsheets.importfile.upload.1", b"not encrypted"),
    ):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_bytes(stored, context=context)
