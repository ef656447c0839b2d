"""The demo's phone: text messages the outbox backend kept, so a visitor can read their code."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from sihai.core.errors import NotFound, PageNotFound
from sihai.core.identity import mask_phone
from sihai.notifications.models import OutboxMessage


@never_cache
def outbox(request: HttpRequest) -> HttpResponse:
    # Exists only in a demo whose messages are kept, never where real texts are sent.
    if not (settings.SIHAI_DEMO_ENABLED and settings.SIHAI_SMS_BACKEND == "outbox"):
        raise PageNotFound(NotFound.default_message())
    messages = [
        {"to": mask_phone(m.recipient), "body": m.body, "at": m.created_at}
        for m in OutboxMessage.objects.order_by("-created_at", "-id")[:20]
    ]
    return render(request, "demo/outbox.html", {"messages_sent": messages})
