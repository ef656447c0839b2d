"""The area tree: city → district/county → subdistrict/township → community/village."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sihai.areas.codes import Level


class AdministrativeArea(models.Model):
    """One row of the NBS division codes.

    The code is the primary key: it is official, stable within an edition, and it
    lets every other table hold an area code whose prefix is its jurisdiction, so
    scoping a query never needs a join. (See docs/adr/0002-jurisdiction-by-code-prefix.md.)
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("official name"), max_length=100)
    # The name people say: "翠湖西路社区" for "翠湖西路社区居民委员会".
    short_name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="area_level_code")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="area_level_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.code})"
