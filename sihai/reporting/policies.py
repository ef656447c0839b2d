"""Who may see the dashboards, exports and metrics API: staff, for their own area.

Figures are aggregates, suppressed (``suppression.py``); still, each officer sees
the figures of their jurisdiction only, and an area outside it is not found.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sihai.core.policy import register_action

INSIGHT_VIEW = register_action(
    "insight.view", _("See the dashboards of your area, export them and read the metrics API")
)
INSIGHT_COMPARE = register_action(
    "insight.compare",
    _(
        "Enter the published figures for registered residents that the equalisation gaps "
        "compare with (your district or the city)"
    ),
)
