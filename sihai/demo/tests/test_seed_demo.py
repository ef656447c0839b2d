"""`sihai seed-demo`: deterministic, idempotent, refused where the demo is off."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from sihai.accounts.models import RoleAssignment, User
from sihai.accounts.seed import PERSONAS
from sihai.areas.models import AdministrativeArea


def _counts() -> tuple[int, int, int]:
    return (
        User.objects.count(),
        RoleAssignment.objects.count(),
        AdministrativeArea.objects.count(),
    )


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_prints_the_personas() -> None:
    out = io.StringIO()
    call_command("seed_demo", "--scale", "demo", stdout=out)
    first = _counts()
    call_command("seed_demo", "--scale", "demo", stdout=io.StringIO())
    # The 12 personas and the newcomer given a role through the audited service, and the four
    # Wuhua department officers who decide the applications demo (sihai/applications/seed.py).
    assert _counts() == first == (17, 17, 1903)
    text = out.getvalue()
    for persona in PERSONAS:
        assert persona.username in text
    assert "Sihai-demo-2026" in text


@pytest.mark.django_db
def test_every_persona_has_exactly_its_documented_role() -> None:
    for persona in PERSONAS:
        (assignment,) = RoleAssignment.objects.filter(user__username=persona.username)
        assert assignment.area_id == persona.area_code
        assert assignment.role == persona.role
        assert (assignment.department.code if assignment.department else None) == persona.department


@pytest.mark.django_db
def test_city_scale_puts_staff_in_every_area_and_is_idempotent() -> None:
    call_command(
        "seed_demo", "--scale", "city", "--cap", "200", "--quiet-personas", stdout=io.StringIO()
    )
    synthetic = User.objects.filter(username__startswith="staff_")
    # 1,738 communities + 150 subdistricts + 14 districts, and 10 department officers per district.
    assert synthetic.count() == 1738 + 150 + 14 + 14 * 10
    assert not any(u.has_usable_password() for u in synthetic[:50])
    worker = RoleAssignment.objects.get(user__username="staff_530102001001")
    assert worker.role == "community_worker"
    before = _counts()
    call_command(
        "seed_demo", "--scale", "city", "--cap", "200", "--quiet-personas", stdout=io.StringIO()
    )
    assert _counts() == before


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_city() -> None:
    call_command(
        "seed_demo",
        "--scale",
        "city",
        "--cap",
        "200",
        "--quiet-personas",
        "--seed",
        "7",
        stdout=io.StringIO(),
    )
    names = list(
        User.objects.filter(username__startswith="staff_")
        .order_by("username")
        .values_list("display_name", flat=True)[:20]
    )
    User.objects.filter(username__startswith="staff_").delete()
    call_command(
        "seed_demo",
        "--scale",
        "city",
        "--cap",
        "200",
        "--quiet-personas",
        "--seed",
        "7",
        stdout=io.StringIO(),
    )
    again = list(
        User.objects.filter(username__startswith="staff_")
        .order_by("username")
        .values_list("display_name", flat=True)[:20]
    )
    assert names == again


@pytest.mark.django_db
@override_settings(SIHAI_DEMO_ENABLED=False)
def test_seed_demo_is_refused_where_the_demo_is_disabled() -> None:
    before = _counts()
    with pytest.raises(CommandError, match="demo city is disabled"):
        call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before
