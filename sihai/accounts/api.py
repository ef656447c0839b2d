"""Personal API tokens over the API: issue with credentials, use as a bearer, revoke."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from sihai.accounts import authentication as auth
from sihai.accounts.models import User
from sihai.core.errors import InvalidInput

router = Router()


class StaffToken(HttpBearer):
    """``Authorization: Bearer sihai_...``: the token's account, with its current roles."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = auth.token_user(token)
        if user is not None:
            request.user = user
        return user


class TokenIn(Schema):
    username: str
    password: str
    otp: str = ""
    name: str


class TokenOut(Schema):
    token: str
    prefix: str
    name: str


class ErrorOut(Schema):
    code: str
    message: str


class RoleOut(Schema):
    area_code: str
    role: str
    department: str | None


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[RoleOut]


@router.post(
    "/token",
    response={201: TokenOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    summary="Issue a personal API token (username, password and OTP when required)",
)
def token_issue(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    user = auth.check_password_step(request, payload.username, payload.password)
    if auth.second_factor_required(user):
        if not payload.otp:
            auth.attempt_failed(payload.username)  # the password step reserved this attempt
            raise auth.SignInRefused(
                _("This account needs the 6-digit code from its authenticator app.")
            )
        auth.totp_check(user=user, code=payload.otp, username=payload.username)
    auth.clear_failures(payload.username)
    if not payload.name.strip():
        raise InvalidInput(_("Give the token a name of 1 to 100 characters."), code="token.name")
    issued = auth.token_create(user=user, name=payload.name)
    return Status(
        201, TokenOut(token=issued.plaintext, prefix=issued.token.prefix, name=issued.token.name)
    )


@router.delete(
    "/token/{prefix}",
    auth=StaffToken(),
    response={204: None, 401: ErrorOut, 404: ErrorOut},
    summary="Revoke one of your tokens (it stops working at once)",
)
def token_delete(request: HttpRequest, prefix: str) -> Status[None]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (set by StaffToken)
    auth.token_revoke(user=user, prefix=prefix)
    return Status(204, None)


@router.get(
    "/me", auth=StaffToken(), response={200: MeOut, 401: ErrorOut}, summary="Who this token acts as"
)
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (set by StaffToken)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": [
            {
                "area_code": a.area_id,
                "role": a.role,
                "department": a.department.code if a.department else None,
            }
            for a in user.active_assignments()
        ],
    }
