"""Staff sign-in: second factor, lockout, password rules, tokens."""

import datetime
from collections.abc import Callable

import pyotp
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone, translation

from sihai.accounts import authentication as auth
from sihai.accounts.backends import DEMO_PASSWORD
from sihai.accounts.models import ApiToken, LoginThrottle, TOTPDevice, User
from sihai.accounts.seed import DEMO_TOTP_SECRET
from sihai.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _code(at: datetime.datetime | None = None) -> str:
    return pyotp.TOTP(DEMO_TOTP_SECRET).at(at or timezone.now())


def _password(client: Client, username: str, password: str = DEMO_PASSWORD) -> object:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_staff_sign_in_with_a_password_when_2fa_is_for_admins_only(client: Client) -> None:
    response = _password(client, "wuhua_officer")
    assert response["Location"] == "/workbench/"  # type: ignore[index]
    assert AuditEntry.objects.filter(
        action="accounts.signed_in", actor_label="wuhua_officer"
    ).exists()


def test_an_administrator_always_needs_a_code(client: Client) -> None:
    response = _password(client, "auditadmin")
    assert response["Location"] == "/accounts/login/verify/"  # type: ignore[index]
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/login/verify/", {"code": "000000"})
    assert "_auth_user_id" not in client.session
    assert "用户名、密码或验证码不正确" in wrong.content.decode()
    assert client.post("/accounts/login/verify/", {"code": _code()}).status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="auditadmin").pk)


def test_a_code_is_accepted_once(client: Client) -> None:
    code = _code()
    _password(client, "sysadmin")
    client.post("/accounts/login/verify/", {"code": code})
    again = Client()
    _password(again, "sysadmin")
    again.post("/accounts/login/verify/", {"code": code})
    assert "_auth_user_id" not in again.session


def test_a_code_in_full_width_digits_is_accepted(client: Client) -> None:
    full_width = _code().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    _password(client, "secadmin")
    client.post("/accounts/login/verify/", {"code": full_width})
    assert "_auth_user_id" in client.session


@override_settings(SIHAI_STAFF_2FA="required")
def test_when_required_for_all_staff_a_worker_enrols_an_authenticator(client: Client) -> None:
    response = _password(client, "cuihu_worker")
    assert response["Location"] == "/accounts/login/enrol/"  # type: ignore[index]
    page = client.get("/accounts/login/enrol/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="cuihu_worker")
    assert device.confirmed_at is None
    client.post("/accounts/login/enrol/", {"code": pyotp.TOTP(device.secret).now()})
    assert "_auth_user_id" in client.session
    device.refresh_from_db()
    assert device.confirmed_at is not None
    assert AuditEntry.objects.filter(action="accounts.totp_enrolled").count() == 1


def test_the_second_step_expires(client: Client) -> None:
    _password(client, "auditadmin")
    session = client.session
    session["sihai_pending_signin"]["at"] -= 301
    session.save()
    response = client.post("/accounts/login/verify/", {"code": _code()})
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("username", ["cuihu_worker", "nobody_by_this_name"])
def test_five_failures_lock_a_username_and_say_the_same_for_any_name(
    client: Client, username: str
) -> None:
    for _ in range(5):
        _password(client, username, "wrong-password-1A")
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    body = response.content.decode()
    assert "尝试失败次数过多" in body
    assert "15" in body
    assert "_auth_user_id" not in client.session


def test_a_lock_ends_after_15_minutes(client: Client) -> None:
    for _ in range(5):
        _password(client, "cuihu_worker", "wrong-password-1A")
    LoginThrottle.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    _password(client, "cuihu_worker")
    assert "_auth_user_id" in client.session
    assert not LoginThrottle.objects.exists()


def test_idle_timeout_is_30_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1A!", "at least 10"),
        ("alllowercaseletters", "at least 3 of"),
        ("Password123", "too common"),
    ],
)
def test_the_mlps_profile_refuses_weak_passwords(
    persona: Callable[[str], User], password: str, message: str
) -> None:
    user = persona("cuihu_worker")
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        auth.password_change(user=user, new_password=password)
    assert user.check_password(DEMO_PASSWORD)


def test_the_mlps_profile_refuses_the_last_five_passwords(persona: Callable[[str], User]) -> None:
    user = persona("cuihu_worker")
    for n in range(1, 6):
        auth.password_change(user=user, new_password=f"Kunming-{n}-Safe")
    for reused in ("Kunming-5-Safe", "Kunming-1-Safe"):
        with translation.override("en"), pytest.raises(ValidationError, match="last 5"):
            auth.password_change(user=user, new_password=reused)
    auth.password_change(user=user, new_password=DEMO_PASSWORD)  # six passwords ago: allowed again


@override_settings(
    AUTH_PASSWORD_VALIDATORS=__import__(
        "sihai.accounts.passwords", fromlist=["x"]
    ).password_validators("asvs")
)
@pytest.mark.parametrize(
    ("password", "message"), [("Short-1A", "at least 12"), ("qwertyuiop123", "breached")]
)
def test_the_asvs_profile(persona: Callable[[str], User], password: str, message: str) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        auth.password_change(user=persona("cuihu_worker"), new_password=password)


def test_an_expired_password_must_be_changed_first(
    client_as: Callable[..., Client], persona: Callable[[str], User]
) -> None:
    User.objects.filter(username="cuihu_worker").update(
        password_changed_at=timezone.now() - datetime.timedelta(days=181)
    )
    client = client_as("cuihu_worker")
    assert client.get("/workbench/")["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password": "Cuihu-West-2027",
            "new_password_again": "Cuihu-West-2027",
        },
    )
    assert response["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200


def test_an_api_token_is_issued_used_and_revoked(client: Client) -> None:
    issued = client.post(
        "/api/v1/auth/token",
        {"username": "wuhua_officer", "password": DEMO_PASSWORD, "name": "reporting script"},
        content_type="application/json",
    )
    assert issued.status_code == 201
    token = issued.json()["token"]
    assert not ApiToken.objects.filter(token_hash__contains=token).exists()
    assert token not in str(list(ApiToken.objects.values()))
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.json()["roles"] == [
        {"area_code": "530102", "role": "district_officer", "department": None}
    ]
    prefix = issued.json()["prefix"]
    assert (
        client.delete(
            f"/api/v1/auth/token/{prefix}", HTTP_AUTHORIZATION=f"Bearer {token}"
        ).status_code
        == 204
    )
    after = client.get(
        "/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert after.status_code == 401
    assert after.json()["message"] == "A valid, unrevoked API token is required."


def test_an_administrator_token_needs_the_code(client: Client) -> None:
    body = {"username": "secadmin", "password": DEMO_PASSWORD, "name": "x"}
    refused = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert refused.status_code == 401
    assert not ApiToken.objects.exists()
    ok = client.post(
        "/api/v1/auth/token", {**body, "otp": _code()}, content_type="application/json"
    )
    assert ok.status_code == 201


def test_wrong_credentials_on_the_api_are_refused_and_count_towards_lockout(client: Client) -> None:
    body = {"username": "wuhua_officer", "password": "nope-nope-1A", "name": "x"}
    for _ in range(5):
        assert (
            client.post("/api/v1/auth/token", body, content_type="application/json").status_code
            == 401
        )
    locked = client.post(
        "/api/v1/auth/token", {**body, "password": DEMO_PASSWORD}, content_type="application/json"
    )
    assert locked.status_code == 429
    assert locked.json()["code"] == "auth.locked"
    assert not ApiToken.objects.exists()


def test_no_one_revokes_another_persons_token(
    persona: Callable[[str], User], client_as: Callable[..., Client]
) -> None:
    issued = auth.token_create(user=persona("wuhua_officer"), name="theirs")
    response = client_as("panlong_officer").post(f"/workbench/tokens/{issued.token.prefix}/revoke")
    assert response.status_code == 404
    assert auth.token_user(issued.plaintext) == persona("wuhua_officer")


def test_tokens_page_shows_a_new_token_once(client_as: Callable[..., Client]) -> None:
    client = client_as("wuhua_officer")
    page = client.post("/workbench/tokens/", {"name": "dashboard export"}).content.decode()
    token = ApiToken.objects.get(name="dashboard export")
    assert f"sihai_{token.prefix}_" in page
    assert f"sihai_{token.prefix}_" not in client.get("/workbench/tokens/").content.decode()
    empty = client.post("/workbench/tokens/", {"name": "  "})
    assert ApiToken.objects.count() == 1
    assert "1 到 100 个字符" in empty.content.decode()


def test_wrong_codes_count_towards_lockout(client: Client) -> None:
    _password(client, "auditadmin")
    for _ in range(4):
        client.post(
            "/accounts/login/verify/", {"code": "000000" if _code() != "000000" else "111111"}
        )
    # Password step + 4 wrong codes = 5 attempts: the right code is now refused too.
    response = client.post("/accounts/login/verify/", {"code": _code()})
    assert "_auth_user_id" not in client.session
    assert "尝试失败次数过多" in response.content.decode()


def test_wrong_codes_on_the_api_count_towards_lockout(client: Client) -> None:
    body = {"username": "secadmin", "password": DEMO_PASSWORD, "name": "x", "otp": "000000"}
    if _code() == "000000":
        body["otp"] = "111111"
    statuses = [
        client.post("/api/v1/auth/token", body, content_type="application/json").status_code
        for _ in range(4)
    ]
    assert statuses[:2] == [401, 401]
    assert statuses[-1] == 429
    assert not ApiToken.objects.exists()


def test_an_enrolled_administrator_never_sees_the_secret_again(client: Client) -> None:
    _password(client, "auditadmin")
    response = client.get("/accounts/login/enrol/")
    assert response["Location"] == "/accounts/login/verify/"
    assert (
        client.post("/accounts/login/enrol/", {"code": _code()})["Location"]
        == "/accounts/login/verify/"
    )
    assert "_auth_user_id" not in client.session


def test_parallel_guesses_cannot_exceed_the_limit() -> None:
    # Five attempts reserved at once (as five parallel requests would): the sixth is refused
    # before any password is checked.
    for _ in range(5):
        auth.reserve_attempt("cuihu_worker")
    with pytest.raises(auth.SignInLocked):
        auth.reserve_attempt("cuihu_worker")
    with pytest.raises(auth.SignInLocked):
        auth.check_password_step(None, "cuihu_worker", DEMO_PASSWORD)


def test_the_current_password_cannot_be_guessed_on_the_change_page(
    client_as: Callable[..., Client],
) -> None:
    client = client_as("cuihu_worker")
    for _ in range(5):
        client.post(
            "/accounts/password/",
            {
                "old_password": "guess-Guess-1",
                "new_password": "Kunming-9-Safe",
                "new_password_again": "Kunming-9-Safe",
            },
        )
    response = client.post(
        "/accounts/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password": "Kunming-9-Safe",
            "new_password_again": "Kunming-9-Safe",
        },
    )
    assert "尝试失败次数过多" in response.content.decode()
    assert User.objects.get(username="cuihu_worker").check_password(DEMO_PASSWORD)
