"""The printable receipt (PDF) of an application, with its reference number.

CJK text needs a font: WenQuanYi Micro Hei when it is installed (embedded, so the PDF reads
everywhere); otherwise ReportLab's built-in CID font STSong-Light (not embedded: PDF readers
supply it), so a machine without the font still produces a readable receipt.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from sihai.applications.models import Application

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
]


@cache
def font_name() -> str:
    """Register and name the font the receipt uses (the TTC if present, else a CID font)."""
    for path in FONT_CANDIDATES:
        if path.exists():
            try:
                pdfmetrics.registerFont(TTFont("SihaiCJK", str(path), subfontIndex=0))
            except Exception:  # noqa: BLE001, S112  (a broken font file: try the next)
                continue
            return "SihaiCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def receipt_pdf(application: Application) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{application.reference}")
    font = font_name()
    _width, height = A4
    y = height - 72

    def line(text: str, size: int = 11, gap: int = 20) -> None:
        nonlocal y
        pdf.setFont(font, size)
        pdf.drawString(64, y, text)
        y -= gap

    line(_("Sihai · receipt of an application"), 16, 30)
    line(_("Reference number: %(ref)s") % {"ref": application.reference}, 14, 26)
    line(_("Service: %(name)s") % {"name": application.type.name})
    line(_("Submitted: %(when)s") % {"when": application.created_at.strftime("%Y-%m-%d %H:%M")})
    if application.member is not None:
        line(_("For: %(name)s") % {"name": application.member.name})
    if application.preferred_school is not None:
        line(_("Preferred school: %(name)s") % {"name": application.preferred_school.name})
    line(_("State: %(state)s") % {"state": application.get_state_display()}, gap=28)
    line(_("Departments deciding:"), 12)
    for part in application.parts.all():
        due = part.due_on.isoformat() if part.due_on else "—"
        line(
            f"  · {part.department.name_zh} {part.department.name_en} — "
            f"{part.get_state_display()} ({_('decide by')} {due})"
        )
    y -= 10
    line(
        _("Keep this number: follow the application in the portal under “Public services”."),
        9,
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
