"""The demo city's registered residents: synthetic, spread over the real communities.

Demo scale: 300 residents, most in Wuhua and Panlong (where the personas work), each
with the service-delivery consent; a few linked to the demo resident accounts.
City scale: ``SCALES["city"].residents`` (1,000,000), bulk-inserted in batches; the
phone and ID number of each are SM4-encrypted and blind-indexed on the way in.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from sihai.accounts.models import ResidentAccount
from sihai.areas.models import AdministrativeArea
from sihai.core.seeding import SeedContext, seeder
from sihai.core.synth import birth_date, id_number, person_name, phone_number
from sihai.residents.models import Consent, Gender, Occupation, RegisteredVia, Resident

BATCH = 5_000
LANGUAGES = ["普通话", "彝语", "白语", "傣语", "哈尼语", "维吾尔语", "藏语", "苗语"]


def _communities(ctx: SeedContext) -> list[str]:
    codes = list(AdministrativeArea.objects.filter(level="village").values_list("code", flat=True))
    if ctx.scale.name == "demo":
        # Mostly where the demo personas work, so their registry searches find people.
        near = [c for c in codes if c.startswith(("530102", "530103"))]
        return near * 4 + codes
    return codes


def _residents(
    ctx: SeedContext, count: int, rng: random.Random, first_pk: int, taken: set[str]
) -> Iterator[dict[str, Any]]:
    """Rows for :func:`sihai.core.bulk.insert_rows`: one synthetic resident each.

    ``taken`` holds the ID-number blind indexes already used (in the database and in this
    run), so a synthetic ID number that repeats one is drawn again.
    """
    from sihai.residents.names import normalise_name  # noqa: PLC0415

    index_of = Resident._meta.get_field("id_number_index").index_of
    communities = _communities(ctx)
    occupations = Occupation.values
    for n in range(count):
        female = rng.random() < 0.5
        born = birth_date(rng)
        number = index = None
        if rng.random() < 0.85:
            while True:
                number = id_number(rng, born, female=female)
                index = index_of(number)
                if index not in taken:
                    taken.add(index)
                    break
        name = person_name(rng)
        yield {
            "id": first_pk + n,
            "name": name,
            "name_normalised": normalise_name(name),
            "gender": Gender.FEMALE if female else Gender.MALE,
            "birth_date": born,
            "phone": phone_number(rng),
            "id_number": number,
            "id_number_index": index,
            "origin_code": rng.choice(["53", "51", "52", "45", "5329", "5328"]),
            "community_id": rng.choice(communities),
            "occupation": rng.choice(occupations),
            "languages": rng.sample(LANGUAGES, k=rng.randint(1, 2)),
            "needs": [],
            "address": "",
            "registered_via": RegisteredVia.IMPORT,
        }


# Residents the README names, registered at the counters through the audited service, so a
# visitor can search for them as cuihu_worker or xiaoba_worker.
KNOWN = [
    ("cuihu_worker", "阿依·木合塔尔", "1995-03-08", "female", "13900000001", "530102001001"),
    ("cuihu_worker", "李建国", "1968-07-21", "male", "13900000002", "530102001001"),
    ("xiaoba_worker", "马燕", "1990-05-04", "female", "13900000003", "530103004001"),
    ("wuhuashan_worker", "杨光", "1987-11-30", "male", "13900000004", "530102001003"),
]


KNOWN_PHONES = [phone for _worker, _name, _born, _gender, phone, _code in KNOWN]


@seeder("known_residents", order=35)
def seed_known_residents(ctx: SeedContext) -> None:
    import datetime  # noqa: PLC0415

    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.residents import services  # noqa: PLC0415

    for worker, name, born, gender, phone, community in KNOWN:
        if Resident.objects.filter(
            phone_index=services.blind_index("phone", f"+86{phone}")
        ).exists():
            continue
        services.resident_register(
            actor=User.objects.get(username=worker),
            data=services.ResidentInput(
                name=name,
                birth_date=datetime.date.fromisoformat(born),
                gender=gender,
                phone=phone,
                community_code=community,
                occupation=Occupation.DELIVERY_RIDER
                if gender == "female"
                else Occupation.CONSTRUCTION,
                languages=["普通话"],
            ),
            consent_evidence="DEMO-FORM",
        )
        ctx.note("known residents registered", 1)


def _known(phone: str) -> Resident:
    from sihai.residents import services  # noqa: PLC0415

    return Resident.objects.get(phone_index=services.blind_index("phone", f"+86{phone}"))


def _portal_account(resident: Resident) -> ResidentAccount:
    """The sign-in account of a resident registered at the counter, linked to the record.

    Demo only: in the city the link is made when the resident signs in and confirms their
    record; here the README's residents can sign in at once (codes on /demo/outbox/).
    """
    from sihai.accounts.resident_auth import phone_index  # noqa: PLC0415

    assert resident.phone is not None  # noqa: S101  (the known residents all have one)
    account = ResidentAccount.objects.filter(phone_index=phone_index(resident.phone)).first()
    if account is None:
        account = ResidentAccount.objects.create(phone=resident.phone, created_via="assisted")
    if resident.account_id != account.pk:
        resident.account = account
        resident.save(update_fields=["account", "updated_at"])
    return account


@seeder("resident_stories", order=36)
def seed_resident_stories(ctx: SeedContext) -> None:
    """The README's residents: households, a consent to share, a move, a deletion request.

    Each step goes through the audited service and is skipped when it is there already.
    """
    import datetime  # noqa: PLC0415

    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.residents import services  # noqa: PLC0415

    today = datetime.date(2026, 11, 1)
    ayi, lijianguo, mayan, yangguang = (_known(p) for p in KNOWN_PHONES)
    worker = User.objects.get(username="cuihu_worker")
    account = _portal_account(ayi)
    if not ayi.members.exists():
        services.household_member_add(
            actor=account,
            resident_id=ayi.pk,
            data=services.MemberInput(
                relationship="child",
                name="阿力·木合塔尔",
                birth_date=today.replace(year=today.year - 8),
                gender="male",
                school_stage="primary",
                school_name="昆明市五华区翠湖小学",
            ),
            guardian_agrees=True,
        )
        ctx.note("household members", 1)
    if not lijianguo.members.exists():
        for relationship, name, born, stage, evidence in [
            ("spouse", "张秀英", datetime.date(1970, 2, 14), "", ""),
            (
                "child",
                "李小龙",
                today.replace(year=today.year - 12),
                "primary",
                "监护人同意书-0002",
            ),
        ]:
            services.household_member_add(
                actor=worker,
                resident_id=lijianguo.pk,
                data=services.MemberInput(
                    relationship=relationship,
                    name=name,
                    birth_date=born,
                    school_stage=stage,
                ),
                guardian_evidence=evidence,
            )
            ctx.note("household members", 1)
        services.consent_grant(
            actor=worker,
            resident=lijianguo,
            purpose="department_sharing",
            department_code="education",
            evidence="DEMO-FORM-EDU",
        )
    if yangguang.community_id == "530102001003":
        services.resident_move(
            actor=User.objects.get(username="wuhuashan_worker"),
            resident_id=yangguang.pk,
            to_community_code="530102001001",
            moved_on=datetime.date(2026, 9, 1),
            address="翠湖西路 18 号",
        )
        ctx.note("moves", 1)
    mayan_account = _portal_account(mayan)
    if not mayan.deletions.exists():
        services.deletion_request_file(account=mayan_account, reason="我要回老家了。")
        ctx.note("deletion requests", 1)


@seeder("residents", order=40)
def seed_residents(ctx: SeedContext) -> None:
    """Synthetic registered residents with their service-delivery consent (idempotent).

    At city scale this is a million rows: written by :func:`sihai.core.bulk.insert_rows`
    (identifiers encrypted and blind-indexed as a save would), not through the services.
    """
    from sihai.core.bulk import insert_rows, next_pk  # noqa: PLC0415

    target = ctx.target(ctx.scale.residents)
    existing = Resident.objects.count()
    if existing >= target:
        return
    rng = random.Random(f"{ctx.rng.random()}-registry-{existing}")
    taken = set(
        Resident.objects.filter(id_number_index__isnull=False).values_list(
            "id_number_index", flat=True
        )
    )
    first_pk, first_consent = next_pk(Resident), next_pk(Consent)
    count = target - existing
    made = insert_rows(Resident, _residents(ctx, count, rng, first_pk, taken), batch=BATCH)
    insert_rows(
        Consent,
        (
            {
                "id": first_consent + n,
                "resident_id": first_pk + n,
                "purpose": "service_delivery",
                "channel": "counter",
                "evidence": "imported register",
            }
            for n in range(made)
        ),
        batch=BATCH,
    )
    ctx.note("residents registered", made)
