"""Health probes, request ids and the access log."""

import json
import logging
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client

from sihai.core import views
from sihai.core.logging import JsonFormatter, RequestIdFilter


def test_healthz_answers_without_touching_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_is_ready_when_migrated(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db
def test_readyz_says_why_when_migrations_are_pending(client: Client) -> None:
    views._MigrationState.applied = False
    with mock.patch(
        "sihai.core.views.MigrationExecutor.migration_plan", return_value=[("x", False)]
    ):
        response = client.get("/readyz")
        assert client.get("/readyz").status_code == 503  # still pending: checked again
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "migrations pending"}
    # Once migrated, the next probe is ready.
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_says_why_when_the_database_is_unreachable(client: Client) -> None:
    with mock.patch("sihai.core.views.connection") as connection:
        connection.cursor.side_effect = DatabaseError("boom")
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "database unreachable"}
    assert b"Traceback" not in response.content
    assert b"boom" not in response.content


def test_every_response_carries_a_request_id(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_a_well_formed_incoming_request_id_is_kept(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234567890abcdef")
    assert response["X-Request-ID"] == "lb-1234567890abcdef"


@pytest.mark.parametrize(
    "hostile",
    ["x", "a b c d e f g h", "<script>alert(1)</script>", "z" * 65, "id\r\nSet-Cookie: x"],
)
def test_a_malformed_incoming_request_id_is_replaced(client: Client, hostile: str) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)
    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_the_access_log_is_one_json_line_without_the_query_string(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sihai.request"):
        response = client.get("/areas/5301/?q=13800000000")
    record = next(r for r in caplog.records if r.name == "sihai.request")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/areas/5301/"
    assert "13800000000" not in json.dumps(line)
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["user_id"] is None
    assert isinstance(line["duration_ms"], float)
    assert response["X-Request-ID"]


def test_error_logs_never_carry_the_query_string(rf: object) -> None:
    request = rf.get("/workbench/staff/?q=13812345678")  # type: ignore[attr-defined]
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "boom", None, None)
    record.request = request
    line = json.loads(JsonFormatter().format(record))
    assert line["request"] == "GET /workbench/staff/"
    assert "13812345678" not in json.dumps(line)
