"""Both locales are complete, and the catalogues match the strings in the code.

The project catalogue is `sihai/locale`; an app may keep its own (`sihai/<app>/locale`), and
`make messages` files each string into the catalogue nearest to the file it comes from.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SIHAI = ROOT / "sihai"


def _locale_dirs(base: Path = SIHAI) -> list[Path]:
    return sorted(p for p in base.rglob("locale") if p.is_dir() and "__pycache__" not in p.parts)


def _catalogue(locale_dir: Path, language: str) -> polib.POFile:
    return polib.pofile(str(locale_dir / language / "LC_MESSAGES" / "django.po"))


def test_every_chinese_string_is_translated_and_none_is_fuzzy() -> None:
    total = 0
    for locale_dir in _locale_dirs():
        po = _catalogue(locale_dir, "zh_Hans")
        assert po.untranslated_entries() == [], locale_dir
        assert po.fuzzy_entries() == [], locale_dir
        total += len(po.translated_entries())
    assert total > 100


def test_placeholders_survive_translation() -> None:
    for locale_dir in _locale_dirs():
        for entry in _catalogue(locale_dir, "zh_Hans").translated_entries():
            for token in ("%(", "%s", "%d"):
                assert entry.msgid.count(token) == (entry.msgstr or entry.msgstr_plural[0]).count(
                    token
                ), entry.msgid


def test_the_english_catalogue_exists_for_every_string() -> None:
    # Source strings are English; the catalogue exists so English is a complete, explicit locale.
    for locale_dir in _locale_dirs():
        zh = {e.msgid for e in _catalogue(locale_dir, "zh_Hans")}
        en = {e.msgid for e in _catalogue(locale_dir, "en")}
        assert zh == en, locale_dir


def test_catalogues_are_up_to_date_with_the_code(tmp_path: Path) -> None:
    """`make messages` would add nothing: every translatable string in the code is catalogued."""
    copy = tmp_path / "sihai"
    shutil.copytree(SIHAI, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
    for locale_dir in _locale_dirs(copy):
        shutil.rmtree(locale_dir)
        locale_dir.mkdir()
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
    fresh_total = 0
    for locale_dir in _locale_dirs(copy):
        fresh_po = locale_dir / "zh_Hans" / "LC_MESSAGES" / "django.po"
        if not fresh_po.exists():
            continue
        fresh = {e.msgid for e in polib.pofile(str(fresh_po))}
        fresh_total += len(fresh)
        committed_dir = SIHAI / locale_dir.relative_to(copy)
        committed = {e.msgid for e in _catalogue(committed_dir, "zh_Hans") if not e.obsolete}
        assert fresh - committed == set(), (
            f"run `make messages` and translate the new strings in {committed_dir}"
        )
    assert fresh_total > 100  # the extraction really ran
