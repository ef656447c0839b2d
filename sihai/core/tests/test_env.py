"""DATABASE_URL handling: clear messages for unusable URLs, before anything touches a driver."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import BASE_DIR, database_from_url


def test_no_url_means_the_embedded_sqlite_database() -> None:
    config = database_from_url("", sqlite_path=Path("/tmp/x.sqlite3"))
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/x.sqlite3"


def test_a_postgres_url_is_parsed() -> None:
    config = database_from_url("postgres://postgres@127.0.0.1:5432/test")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "127.0.0.1",
        5432,
        "test",
        "postgres",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgres:///test", "DATABASE_URL has no host"),
        ("postgres://postgres@/test", "DATABASE_URL has no host"),
        ("postgres://postgres@127.0.0.1:5432", "DATABASE_URL names no database"),
        ("mysql://root@127.0.0.1/test", "DATABASE_URL uses the scheme 'mysql'"),
        ("127.0.0.1:5432/test", "DATABASE_URL uses the scheme"),
    ],
)
def test_an_unusable_url_stops_with_a_clear_message(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_url(url)


# Production requires real keys; these are fixed test values, not the published demo keys.
PRODUCTION_KEYS = {
    "SIHAI_FIELD_KEYS": "k1:sm4-gcm:" + base64.b64encode(b"0123456789abcdef").decode(),
    "SIHAI_FIELD_KEY_ACTIVE": "k1",
    "SIHAI_BLIND_INDEX_KEY": base64.b64encode(b"an index key of thirty-two bytes").decode(),
    "SIHAI_SMS_ALIYUN_ACCESS_KEY_ID": "test-id",
    "SIHAI_SMS_ALIYUN_ACCESS_KEY_SECRET": "test-secret",
    "SIHAI_SMS_ALIYUN_SIGN_NAME": "四海之家",
}


def _run(settings: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sihai.cli", *args],
        cwd=BASE_DIR,
        env={**os.environ, **PRODUCTION_KEYS, "DJANGO_SETTINGS_MODULE": settings, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_missing_host_stops_start_up_with_the_message_not_a_traceback_of_the_driver() -> None:
    result = _run("config.settings.local", "check", DATABASE_URL="postgres:///sihai")
    assert result.returncode != 0
    assert "DATABASE_URL has no host" in result.stderr


def test_production_settings_pass_the_deploy_check_with_no_warnings() -> None:
    result = _run(
        "config.settings.production",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SIHAI_SECRET_KEY="k" * 20 + "Q9x#2mZ!pL7@wR4$vT1^bN8&cF5*hJ3(",
        SIHAI_ALLOWED_HOSTS="sihai.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_collects_static_files_with_hashed_vendor_assets(tmp_path: Path) -> None:
    result = _run(
        "config.settings.production",
        "collectstatic",
        "--noinput",
        SIHAI_SECRET_KEY="k" * 20 + "Q9x#2mZ!pL7@wR4$vT1^bN8&cF5*hJ3(",
        SIHAI_ALLOWED_HOSTS="sihai.example.gov.cn",
        SIHAI_STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/htmx/htmx.min.js", "vendor/leaflet/leaflet.css", "sihai/css/base.css"):
        assert (tmp_path / manifest[name]).is_file()
    # Only the named npm files are published, not the packages' whole dist folders.
    published = {p.name for p in (tmp_path / "vendor" / "echarts").iterdir()}
    assert published
    assert all(name.startswith("echarts.min.") for name in published), published


def test_production_refuses_a_placeholder_secret_key() -> None:
    result = _run(
        "config.settings.production",
        "check",
        SIHAI_SECRET_KEY="demo-only",
        SIHAI_ALLOWED_HOSTS="sihai.example.gov.cn",
    )
    assert result.returncode != 0
    assert "SIHAI_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "SIHAI_FIELD_KEYS": "x1:sm4-gcm:"
            + base64.b64encode(
                __import__("hashlib").sha256(b"sihai-demo-sm4:demo").digest()[:16]
            ).decode(),
            "SIHAI_FIELD_KEY_ACTIVE": "x1",
        },
        {
            "SIHAI_BLIND_INDEX_KEY": base64.b64encode(
                __import__("hashlib").sha256(b"sihai-demo-index:demo").digest()
            ).decode()
        },
        {"SIHAI_FIELD_KEY_ACTIVE": "missing"},
    ],
)
def test_production_refuses_demo_key_material_under_any_name(overrides: dict[str, str]) -> None:
    result = _run(
        "config.settings.production",
        "check",
        SIHAI_SECRET_KEY="k" * 20 + "Q9x#2mZ!pL7@wR4$vT1^bN8&cF5*hJ3(",
        SIHAI_ALLOWED_HOSTS="sihai.example.gov.cn",
        **overrides,
    )
    assert result.returncode != 0
    assert "demo keys are refused" in result.stderr


def test_an_unknown_second_factor_mode_stops_start_up() -> None:
    result = _run("config.settings.local", "check", SIHAI_STAFF_2FA="sometimes")
    assert result.returncode != 0
    assert "SIHAI_STAFF_2FA" in result.stderr


def test_production_without_sms_credentials_fails_the_check() -> None:
    result = _run(
        "config.settings.production",
        "check",
        SIHAI_SECRET_KEY="k" * 20 + "Q9x#2mZ!pL7@wR4$vT1^bN8&cF5*hJ3(",
        SIHAI_ALLOWED_HOSTS="sihai.example.gov.cn",
        SIHAI_SMS_ALIYUN_ACCESS_KEY_SECRET="",
    )
    assert result.returncode != 0
    assert "sihai.E011" in result.stderr
