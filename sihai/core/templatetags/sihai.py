"""Template helpers shared by the portal and the workbench."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sihai.core.identity import display_phone
from sihai.core.vendor import vendor_path

register = template.Library()


@register.simple_tag
def vendor_script(name: str) -> SafeString:
    """A deferred <script> for an npm-installed library, or nothing if it is absent."""
    path = vendor_path(name)
    if path is None:
        return SafeString("")
    return format_html('<script src="{}" defer></script>', static(path))


@register.simple_tag
def vendor_stylesheet(name: str) -> SafeString:
    """A <link rel=stylesheet> for an npm-installed library, or nothing if it is absent."""
    path = vendor_path(name)
    if path is None:
        return SafeString("")
    return format_html('<link rel="stylesheet" href="{}">', static(path))


@register.filter
def phone(value: str | None) -> str:
    """A stored (E.164) phone number as people read it: ``{{ resident.phone|phone }}``."""
    return display_phone(value) if value else "—"
