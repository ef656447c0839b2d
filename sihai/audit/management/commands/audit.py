"""`sihai audit verify` and `sihai audit purge --before YYYY-MM-DD`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sihai.audit import services
from sihai.core.errors import InvalidInput


class Command(BaseCommand):
    help = "Verify the audit hash chain, or purge history older than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="operation", required=True)
        sub.add_parser("verify", help="walk the chain and report the first tampered entry")
        purge = sub.add_parser("purge", help="delete entries before a date (at least 180 days ago)")
        purge.add_argument("--before", required=True, type=datetime.date.fromisoformat)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["operation"] == "verify":
            report = services.verify()
            if not report.intact:
                msg = (
                    f"audit chain BROKEN at entry #{report.first_bad_seq}: {report.reason} "
                    f"({report.checked} entries before it are intact)"
                )
                raise CommandError(msg)
            self.stdout.write(f"audit chain intact: {report.checked} entries verified")
            return
        try:
            audit_deleted, access_deleted = services.purge(before=options["before"])
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"purged {audit_deleted} audit entries and {access_deleted} access-log entries "
            f"before {options['before']:%Y-%m-%d}"
        )
