"""Test and seed helpers: requests made through the intake service, as a resident would."""

from __future__ import annotations

import itertools
from typing import Any

from sihai.cases.models import Channel, ServiceRequest
from sihai.cases.services import RequestInput, request_submit

_keys = itertools.count(1)


def request_in(
    community: str,
    *,
    category: str = "policy_question",
    actor: Any = None,
    channel: str = Channel.ANONYMOUS,
    **fields: Any,
) -> ServiceRequest:
    """A request submitted through the intake service (so its timeline and audit are real)."""
    answers = fields.pop("attributes", None)
    if answers is None:
        answers = {
            "policy_question": {"topic": "schooling"},
            "facility_broken": {"facility": "ramp"},
            "school_seat": {"child_stage": "primary"},
            "dispute": {"kind": "neighbours"},
        }.get(category, {})
    data = RequestInput(
        category_code=category,
        description=fields.pop("description", "孩子明年上小学，需要准备什么材料？"),
        community_code=community,
        attributes=answers,
        **fields,
    )
    request, _code = request_submit(actor=actor, data=data, channel=channel)
    return request
