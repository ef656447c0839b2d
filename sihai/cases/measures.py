"""What a timeline entry counts for in the figures, fixed when the entry is written.

The insight rollups (``sihai/cases/metrics.py``) read the append-only timeline past a
watermark. A rate such as "answered within the response deadline" depends on the
request's deadlines and rating at the moment of the event, which may change later
(a reopened request gets a new resolution deadline, a new rating). So the label is
computed once, when the entry is written, and kept on it: rebuilding the rollups from
the timeline then gives exactly what the incremental path gave.

``measure`` is a space-separated list of labels: ``responded_on_time`` /
``responded_late`` (the first answer), ``resolved_on_time`` / ``resolved_late``,
``rated_satisfied`` / ``rated_unsatisfied`` (4–5 versus 1–3), and for referrals
``referral_sent@<department>``, ``referral_accepted@<department>``,
``referral_declined@<department>`` (``community`` for a referral to another community).
``elapsed_seconds`` is the time since the request was submitted (summed for the
average time to resolve).
"""

from __future__ import annotations

import datetime

SATISFIED = 4
REFERRAL_LABELS = {
    "referred": "referral_sent",
    "referral_accepted": "referral_accepted",
    "referral_declined": "referral_declined",
}


def event_measure(
    *,
    kind: str,
    to_state: str,
    at: datetime.datetime,
    first_response: bool,
    response_due: datetime.datetime | None,
    resolution_due: datetime.datetime | None,
    rating: int | None = None,
    referral_department: str | None = None,
) -> str:
    labels: list[str] = []
    if first_response and response_due is not None:
        labels.append("responded_on_time" if at <= response_due else "responded_late")
    if to_state == "resolved" and resolution_due is not None:
        labels.append("resolved_on_time" if at <= resolution_due else "resolved_late")
    if kind == "rated" and rating is not None:
        labels.append("rated_satisfied" if rating >= SATISFIED else "rated_unsatisfied")
    if kind in REFERRAL_LABELS and referral_department is not None:
        labels.append(f"{REFERRAL_LABELS[kind]}@{referral_department or 'community'}")
    return " ".join(labels)


def elapsed(at: datetime.datetime, submitted_at: datetime.datetime | None) -> int:
    if submitted_at is None:
        return 0
    return max(0, int((at - submitted_at).total_seconds()))
