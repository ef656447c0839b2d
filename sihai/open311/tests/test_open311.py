"""Open311 GeoReport v2, driven by real clients (civicbot, georeport) over loopback HTTP.

The server runs in a thread of the test process on the test's own database
connection (as Django's LiveServerTestCase does for SQLite), so each test's data
is visible to it and rolled back after it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test import Client
from georeport import GeoReport

from sihai.audit.models import AuditEntry
from sihai.cases.factories import request_in
from sihai.cases.models import ServiceRequest
from sihai.open311.services import api_key_issue

pytestmark = pytest.mark.django_db
CUIHU = "530102001001"


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (stdlib name)
        return


@pytest.fixture
def base_url(db: None) -> Iterator[str]:
    connection = connections["default"]
    connection.inc_thread_sharing()
    # As Django's test client does: a request's end must not close the test's connection
    # (inside the test transaction it would look "obsolete" and be closed on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)

    def serve() -> None:
        connections["default"] = connection
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/open311/v2"
    server.shutdown()
    thread.join()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    connection.dec_thread_sharing()


def _civicbot(base_url: str, fmt: str = "json") -> Open311Client:
    endpoint = Endpoint(id="sihai", name="Sihai", base_url=base_url, write=True)
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0))
    return Open311Client(endpoint, transport=transport, fmt=fmt)


def test_civicbot_posts_a_request_with_a_list_attribute_and_reads_it_back(base_url: str) -> None:
    _key, api_key = api_key_issue(actor=None, name="12345 hotline system")
    client = _civicbot(base_url)
    codes = {s["service_code"] for s in client.list_services()}
    assert "facility_broken" in codes
    assert "policy_question" not in codes  # private: not in the public list
    prepared = client.create_request(
        "facility_broken",
        dry_run=False,
        confirm="SEND",
        api_key=api_key,
        validate_remote=True,
        address_id=CUIHU,
        lat=25.04,
        lng=102.70,
        description="<b>坡道</b>裂了",
        attributes={"facility": "ramp"},
        first_name="王",
        phone="13900002222",
        media_url="http://10.0.0.5/photo.jpg",
    )
    [answer] = prepared.response
    reference = answer["service_request_id"]
    assert reference.startswith("KM-")
    created = ServiceRequest.objects.get(reference=reference)
    assert (created.channel, created.partner, created.media_url) == (
        "open311",
        "12345 hotline system",
        "http://10.0.0.5/photo.jpg",
    )
    assert client.get_token(answer["token"]) == [
        {"service_request_id": reference, "token": answer["token"]}
    ]
    public = client.get_request(reference)
    assert public is not None
    assert public["status"] == "open"
    assert public["description"] == "<b>坡道</b>裂了"
    for personal in ("first_name", "last_name", "phone", "email", "account_id", "device_id"):
        assert personal not in public
    assert "13900002222" not in json.dumps(public)
    assert "王" not in json.dumps(public)


def test_georeport_reads_in_xml_and_json(base_url: str) -> None:
    request_in(CUIHU, category="facility_broken", description="灯坏了")
    private = request_in(CUIHU, category="policy_question", description="我的居住证")
    for fmt in ("json", "xml"):
        client = GeoReport(base_url, output_format=fmt)
        services = client.get_service_list()
        assert any(s["service_code"] == "facility_broken" for s in services)
        definition = client.get_service_definition("facility_broken")
        assert definition["service_code"] == "facility_broken"
        listed = client.get_service_requests()
        rows = listed if isinstance(listed, list) else [listed]  # xmltodict: one element = a dict
        refs = {r["service_request_id"] for r in rows}
        assert private.reference not in refs
        [public_ref] = list(refs)
        one = client.get_service_request(public_ref)
        assert one["service_request_id"] == public_ref


def test_post_errors_follow_the_spec_and_write_nothing(base_url: str) -> None:
    _key, api_key = api_key_issue(actor=None, name="partner")
    client = _civicbot(base_url)
    before = (ServiceRequest.objects.count(), AuditEntry.objects.count())
    with pytest.raises(HttpError) as caught:
        client.create_request(
            "facility_broken",
            dry_run=False,
            confirm="SEND",
            api_key="wrong",
            address_id=CUIHU,
            description="x",
            attributes={"facility": "ramp"},
        )
    assert caught.value.status == 403
    with pytest.raises(HttpError) as caught:
        client.create_request(
            "no_such",
            dry_run=False,
            confirm="SEND",
            api_key=api_key,
            address_id=CUIHU,
            description="x",
        )
    assert caught.value.status == 404
    with pytest.raises(HttpError) as caught:
        client.create_request(
            "application_help",
            dry_run=False,
            confirm="SEND",
            api_key=api_key,
            address_id=CUIHU,
            description="x",
            attributes={"services": ["school_seat", "rocket"]},
        )
    assert caught.value.status == 400
    body = json.loads(caught.value.body)
    assert body[0]["code"] == 400
    assert (ServiceRequest.objects.count(), AuditEntry.objects.count()) == (
        before[0],
        before[1] + 0,
    )


def test_raw_http_xml_errors_paging_extensions_and_private_by_id(client: Client) -> None:
    public = request_in(CUIHU, category="facility_broken")
    private = request_in(CUIHU, category="dispute")
    assert client.get(f"/open311/v2/requests/{private.reference}.json").status_code == 404
    missing = client.get("/open311/v2/requests/KM-1999-000001.xml")
    assert missing.status_code == 404
    assert b"<errors><error><code>404</code>" in missing.content
    page = client.get("/open311/v2/requests.json?page=1&page_size=1&extensions=true").json()
    assert [r["service_request_id"] for r in page] == [public.reference]
    assert page[0]["notes"][0]["type"] == "submitted"
    assert client.get("/open311/v2/requests.json?page=2&page_size=1").json() == []
    assert client.get("/open311/v2/requests.json?page=0").status_code == 400
    assert client.get("/open311/v2/services.json?jurisdiction_id=beijing").status_code == 404
    discovery = client.get("/open311/v2/discovery.xml")
    assert b"<discovery>" in discovery.content
    en = client.get("/open311/v2/services.json?locale=en").json()
    assert any(s["service_name"] == "Broken facility at a service point" for s in en)
