"""Writes on service requests; each is atomic, audited, and writes the timeline.

* ``intake`` — validating a submission against its category and ``request_submit``;
* ``workflow`` — moves, assignment, rerouting, notes, rating and reopening;
* ``referrals`` — referring across to a department or a community, and the answer;
* ``sla`` — deadlines in working hours, reminders and the escalation sweep.
"""

from sihai.cases.services.intake import (
    RequestInput,
    RequestInvalid,
    request_submit,
    route,
)
from sihai.cases.services.referrals import SHAREABLE, referral_create, referral_decide
from sihai.cases.services.sla import escalation_sweep, reminder_sweep
from sihai.cases.services.workflow import (
    request_assign,
    request_note,
    request_rate,
    request_reopen,
    request_reroute,
    request_transition,
)

__all__ = [
    "SHAREABLE",
    "RequestInput",
    "RequestInvalid",
    "escalation_sweep",
    "referral_create",
    "referral_decide",
    "reminder_sweep",
    "request_assign",
    "request_note",
    "request_rate",
    "request_reopen",
    "request_reroute",
    "request_submit",
    "request_transition",
    "route",
]
