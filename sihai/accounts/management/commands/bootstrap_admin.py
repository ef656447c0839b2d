"""`sihai bootstrap-admin --role security_admin --username NAME`: the first administrators.

Roles are granted only by a security administrator, so a new deployment needs one
made from the command line. This works only while no active account holds that
administrator role: afterwards, administrators are appointed in the workbench.
The password is read from the terminal (or --password-file) and must pass the
password policy; the creation is audited.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from sihai.accounts.models import RoleAssignment, User
from sihai.accounts.roles import ADMIN_ROLES
from sihai.audit import services as audit


class Command(BaseCommand):
    help = "Create the first system, security or audit administrator of a new deployment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--display-name", default="")
        parser.add_argument("--password-file", type=Path, help="read the password from this file")

    def handle(self, *args: Any, **options: Any) -> None:
        role, username = options["role"], options["username"].strip()
        if RoleAssignment.objects.filter(role=role, user__is_active=True).exists():
            msg = (
                f"an active {role} exists already: appoint further administrators in the workbench"
            )
            raise CommandError(msg)
        if User.objects.filter(username=username).exists():
            msg = f"the username {username!r} is taken"
            raise CommandError(msg)
        if options["password_file"]:
            password = options["password_file"].read_text(encoding="utf-8").strip()
        else:
            password = getpass.getpass("password: ")
            if getpass.getpass("again: ") != password:
                msg = "the passwords differ"
                raise CommandError(msg)
        candidate = User(username=username, display_name=options["display_name"])
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            candidate.set_password(password)
            candidate.password_changed_at = timezone.now()
            candidate.is_staff = role == "system_admin"
            candidate.save()
            RoleAssignment.objects.create(
                user=candidate, area_id=settings.SIHAI_CITY_CODE, role=role
            )
            audit.record(
                actor=None,
                action="accounts.admin_bootstrapped",
                target=candidate,
                area_code=settings.SIHAI_CITY_CODE,
                changes={"user": username, "role": role},
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{username} is {role} of {settings.SIHAI_CITY_CODE}; set up TOTP at first sign-in"
            )
        )
