"""Rendering Open311 answers as JSON (top-level arrays) or XML (the standard's format)."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

# XML element names of list items, by the list's element name.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "notes": "note",
}


def _xml_value(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:
            _xml_value(element, ITEM.get(name, "item"), item)
    elif isinstance(value, dict):
        for key, sub in value.items():
            _xml_value(element, key, sub)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def render(data: Any, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """``data`` is a list (JSON: as is; XML: ``<root><item>…</item></root>``) or a dict."""
    if fmt == "json":
        return HttpResponse(
            json.dumps(data, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
            status=status,
        )
    top = ET.Element(root)
    if isinstance(data, list):
        for item in data:
            _xml_value(top, ITEM.get(root, "item"), item)
    else:
        for key, value in data.items():
            _xml_value(top, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def errors(fmt: str, status: int, problems: list[tuple[str, str]]) -> HttpResponse:
    items = [
        {"code": int(code) if code.isdigit() else (code or status), "description": text}
        for code, text in problems
    ]
    return render(items, fmt, root="errors", status=status)
