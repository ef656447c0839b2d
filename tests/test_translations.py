"""Both locales are complete, and the catalogues match the strings in the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "sihai" / "locale"


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_every_chinese_string_is_translated_and_none_is_fuzzy() -> None:
    po = _catalogue("zh_Hans")
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 100


def test_placeholders_survive_translation() -> None:
    for entry in _catalogue("zh_Hans").translated_entries():
        for token in ("%(", "%s", "%d"):
            assert entry.msgid.count(token) == (entry.msgstr or entry.msgstr_plural[0]).count(
                token
            ), entry.msgid


def test_the_english_catalogue_exists_for_every_string() -> None:
    # Source strings are English; the catalogue exists so English is a complete, explicit locale.
    zh = {e.msgid for e in _catalogue("zh_Hans")}
    en = {e.msgid for e in _catalogue("en")}
    assert zh == en


def test_catalogues_are_up_to_date_with_the_code(tmp_path: Path) -> None:
    """`make messages` would add nothing: every translatable string in the code is catalogued."""
    copy = tmp_path / "sihai"
    shutil.copytree(
        ROOT / "sihai", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests")
    )
    shutil.rmtree(copy / "locale")
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
        },
        timeout=120,
    )
    fresh = {
        e.msgid
        for e in polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    }
    committed = {e.msgid for e in _catalogue("zh_Hans") if not e.obsolete}
    assert len(fresh) > 100  # the extraction really ran
    assert fresh - committed == set(), "run `make messages` and translate the new strings"
