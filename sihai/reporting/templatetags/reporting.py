"""``{% cell text reason %}``: a figure, or "suppressed" with its reason on hover and a mark.

A tag, not an include: a city dashboard prints a thousand cells.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

MARKS = {"small": "a", "complementary": "b", "level": "c", "not_additive": "d"}


def _title(reason: str, k: int) -> str:
    if reason == "small":
        return _("fewer than %(k)s people") % {"k": k}
    if reason == "complementary":
        return _("hidden so that a small cell cannot be worked out")
    if reason == "level":
        return _("only for a district or above")
    return _("the kinds do not add up")


@register.simple_tag(takes_context=True)
def cell(context: template.Context, text: str, reason: str = "") -> SafeString:
    if not reason:
        return format_html("{}", text)
    return format_html(
        '<abbr class="suppressed" title="{}">{}<sup>{}</sup></abbr>',
        _title(reason, int(context.get("k") or 10)),
        text,
        MARKS.get(reason, "d"),
    )
