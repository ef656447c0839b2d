"""The published API contract: the OpenAPI document matches the committed snapshot.

A change to the API shows up as a diff of docs/api/openapi.json in review;
regenerate it with `make openapi-snapshot` when the change is intended.
"""

import json
from pathlib import Path

from config.api import api

SNAPSHOT = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi.json"


def test_openapi_matches_the_committed_snapshot() -> None:
    current = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), sort_keys=True))
    assert current == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_openapi_is_3_1_and_documents_errors() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert schema["openapi"].startswith("3.1")
    responses = schema["paths"]["/api/v1/areas/{code}"]["get"]["responses"]
    assert {str(status) for status in responses} == {"200", "400", "404"}
