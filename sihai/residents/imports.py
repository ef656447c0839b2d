"""Importing a community's existing register of residents (台账) from a spreadsheet.

Each row is checked like a registration at the counter
(:func:`sihai.residents.services.resident_input_clean`), must live in a community
of the worker's area, and is a duplicate when its ID number — or, without one, its
name, date of birth and phone — is already in the file or registered. Valid rows
are bulk-inserted in batches with the service-delivery consent the worker vouches
for (the reference of the signed forms is required), and one audit entry per
batch lists the residents it created.

Ethnic group and religion are never imported: only the resident declares them, in
the portal, after a separate consent. Such columns cannot be mapped, their values
are never read into a job, and the error workbook blanks them.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput
from sihai.core.identity import fold_digits
from sihai.core.policy import roots_for
from sihai.core.seeding import SeedContext, seeder
from sihai.residents.models import (
    Consent,
    ConsentChannel,
    Gender,
    Occupation,
    Purpose,
    RegisteredVia,
    Resident,
)
from sihai.residents.names import normalise_name
from sihai.residents.services import ResidentInput, blind_index, resident_input_clean
from sihai.spreadsheets.policies import RESIDENT_IMPORT
from sihai.spreadsheets.registry import (
    Cleaned,
    Column,
    Importer,
    Problem,
    Refused,
    ValidRow,
    importers,
)

GENDERS = {
    "男": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "女": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "未知": Gender.UNSTATED,
    "不详": Gender.UNSTATED,
    "不愿透露": Gender.UNSTATED,
    "unstated": Gender.UNSTATED,
}
OCCUPATIONS = {
    **{value: value for value in Occupation.values},
    "外卖骑手": Occupation.DELIVERY_RIDER,
    "外卖员": Occupation.DELIVERY_RIDER,
    "骑手": Occupation.DELIVERY_RIDER,
    "网约车司机": Occupation.RIDE_HAILING_DRIVER,
    "网约车": Occupation.RIDE_HAILING_DRIVER,
    "快递员": Occupation.COURIER,
    "快递": Occupation.COURIER,
    "建筑工人": Occupation.CONSTRUCTION,
    "建筑": Occupation.CONSTRUCTION,
    "工厂工人": Occupation.MANUFACTURING,
    "工人": Occupation.MANUFACTURING,
    "服务业": Occupation.SERVICES,
    "餐饮": Occupation.SERVICES,
    "家政": Occupation.DOMESTIC,
    "个体": Occupation.SELF_EMPLOYED,
    "个体户": Occupation.SELF_EMPLOYED,
    "务农": Occupation.AGRICULTURE,
    "农民": Occupation.AGRICULTURE,
    "学生": Occupation.STUDENT,
    "退休": Occupation.RETIRED,
    "待业": Occupation.SEEKING_WORK,
    "无业": Occupation.SEEKING_WORK,
    "其他": Occupation.OTHER,
}
# GB/T 2260 province-level codes: registers name the province of origin more often than a code.
PROVINCES = {
    "北京": "11", "天津": "12", "河北": "13", "山西": "14", "内蒙古": "15", "辽宁": "21",
    "吉林": "22", "黑龙江": "23", "上海": "31", "江苏": "32", "浙江": "33", "安徽": "34",
    "福建": "35", "江西": "36", "山东": "37", "河南": "41", "湖北": "42", "湖南": "43",
    "广东": "44", "广西": "45", "海南": "46", "重庆": "50", "四川": "51", "贵州": "52",
    "云南": "53", "西藏": "54", "陕西": "61", "甘肃": "62", "青海": "63", "宁夏": "64",
    "新疆": "65", "台湾": "71", "香港": "81", "澳门": "82",
}  # fmt: skip
# Which sheet column a code of resident_input_clean is about.
CODE_COLUMNS = {
    "resident.name": "name",
    "resident.birth_date": "birth_date",
    "resident.id_birth_mismatch": "birth_date",
    "resident.arrival_date": "arrival_date",
    "resident.community": "community",
    "area.invalid_code": "community",
    "resident.origin": "origin_code",
    "resident.choice": "occupation",
}
NEVER_IMPORTED = gettext_lazy(
    "Ethnic group and religion are never imported: only the resident can declare them, in the "
    "portal, after a separate consent. This column's values are not read or kept."
)


RELIGIONS = frozenset(
    {"佛教", "道教", "伊斯兰教", "基督教", "天主教", "东正教", "藏传佛教", "无宗教信仰"}
)


def _sensitive(value: str) -> bool:
    """Is this cell's whole text an ethnic group or a religion (a column mapped by mistake)?"""
    from sihai.residents.ethnicity import ethnic_groups  # noqa: PLC0415

    text = value.strip()
    names = {g.name_zh for g in ethnic_groups().values()}
    return text in RELIGIONS or text in names or f"{text}族" in names


def _origin(value: str) -> str:
    code = fold_digits(value).strip()
    if code.isdigit():
        return code
    for name, province in PROVINCES.items():
        if code.startswith(name):
            return province
    return code  # resident_input_clean explains what is accepted


@dataclass
class Context:
    """What every row check of one pass needs, read once."""

    area_code: str
    roots: list[str]
    # Every community of the city, and their codes by name (full and short).
    villages: set[str] = field(default_factory=set)
    by_name: dict[str, list[str]] = field(default_factory=dict)


class ResidentImporter(Importer):
    key = "residents"
    label = gettext_lazy("Residents' register")
    action = RESIDENT_IMPORT
    evidence_label = gettext_lazy("Reference of the consent basis")
    evidence_help = gettext_lazy(
        "The file number of the consent forms the residents in this register signed. Nothing "
        "is imported without it; it is recorded with each resident's consent."
    )
    columns = (
        Column("name", gettext_lazy("Name"), "text", ("姓名", "名字", "name", "full name"), True),
        Column(
            "id_number",
            gettext_lazy("ID number"),
            "id_number",
            ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "id number", "id"),
        ),
        Column(
            "phone",
            gettext_lazy("phone number"),
            "phone",
            ("手机号", "手机号码", "手机", "联系电话", "电话", "联系方式", "phone", "mobile"),
        ),
        Column(
            "birth_date",
            gettext_lazy("date of birth"),
            "date",
            ("出生日期", "出生年月日", "生日", "出生", "birth date", "date of birth", "born"),
        ),
        Column(
            "gender", gettext_lazy("gender"), "choice", ("性别", "gender", "sex"), choices=GENDERS
        ),
        Column(
            "community",
            gettext_lazy("community"),
            "area",
            ("现居社区", "所在社区", "居住社区", "社区", "社区代码", "community"),
        ),
        Column(
            "address",
            gettext_lazy("address"),
            "text",
            ("现住址", "现居住地址", "居住地址", "住址", "地址", "address"),
            max_length=300,
        ),
        Column(
            "origin_code",
            gettext_lazy("place of origin"),
            "text",
            ("籍贯", "户籍地", "户籍所在地", "来源地", "原籍", "origin", "place of origin"),
        ),
        Column(
            "arrival_date",
            gettext_lazy("date of arrival"),
            "date",
            ("来昆时间", "来昆日期", "到达日期", "来本地时间", "入住时间", "arrival", "arrived"),
        ),
        Column(
            "occupation",
            gettext_lazy("occupation"),
            "choice",
            ("职业", "从业类型", "工作", "occupation", "job"),
            choices=OCCUPATIONS,
            fallback=Occupation.OTHER,
        ),
        Column(
            "languages",
            gettext_lazy("languages spoken"),
            "list",
            ("语言", "使用语言", "会说的语言", "languages"),
        ),
    )
    refused = (
        Refused(
            "ethnicity",
            gettext_lazy("ethnic group"),
            ("民族", "族别", "ethnic", "ethnicity"),
            NEVER_IMPORTED,
        ),
        Refused(
            "religion",
            gettext_lazy("religion"),
            ("宗教", "信仰", "religion", "faith"),
            NEVER_IMPORTED,
        ),
    )

    def defaults(self, *, actor: Any) -> dict[str, Any]:
        roots = roots_for(actor, self.action)
        if len(roots) == 1 and len(roots[0]) == 12:
            return {"community": roots[0]}
        return {}

    def describe_defaults(self, values: dict[str, Any]) -> list[str]:
        code = values.get("community")
        if not code:
            return []
        area = AdministrativeArea.objects.filter(code=code).first()
        return [
            _("Rows without a community are registered in %(name)s (%(code)s).")
            % {"name": area.short_name if area else code, "code": code}
        ]

    def begin(self, *, actor: Any, job: Any) -> Context:
        context = Context(area_code=job.area_id, roots=roots_for(actor, self.action))
        for code, name, short in AdministrativeArea.objects.filter(level="village").values_list(
            "code", "name", "short_name"
        ):
            context.villages.add(code)
            for spelling in {normalise_name(name), normalise_name(short)}:
                context.by_name.setdefault(spelling, []).append(code)
        return context

    def _community(self, context: Context, raw: str) -> str | Problem:
        if raw.isdigit():
            code = raw
            if code not in context.villages:
                return Problem(
                    "community",
                    "resident.community",
                    _("There is no community or village with the code %(code)s.") % {"code": code},
                )
        else:
            everywhere = context.by_name.get(normalise_name(raw), [])
            codes = [c for c in everywhere if c.startswith(context.area_code)] or everywhere[:1]
            if not codes:
                return Problem(
                    "community",
                    "resident.community_name",
                    _("No community in your area is called “%(name)s”: write its 12-digit code.")
                    % {"name": raw[:40]},
                )
            if len(codes) > 1:
                return Problem(
                    "community",
                    "resident.community_ambiguous",
                    _("Several communities in your area are called “%(name)s”: write the code.")
                    % {"name": raw[:40]},
                )
            code = codes[0]
        in_area = code.startswith(context.area_code) and any(
            code.startswith(root) for root in context.roots
        )
        if not in_area:
            return Problem(
                "community",
                "resident.not_your_area",
                _("This community is outside your area: the row was not imported."),
            )
        return code

    def clean(self, context: Context, values: dict[str, Any], row: int) -> Cleaned | list[Problem]:
        # Even under another header, an ethnic group or a religion is never imported.
        sensitive = [
            Problem(key, "resident.sensitive_value", str(NEVER_IMPORTED))
            for key in ("name", "address", "origin_code")
            if isinstance(values.get(key), str) and _sensitive(values[key])
        ]
        if sensitive:
            return sensitive
        community = self._community(context, str(values.get("community") or ""))
        if isinstance(community, Problem):
            return [community]
        id_number: str = values.get("id_number") or ""
        birth: datetime.date | None = values.get("birth_date")
        if birth is None:
            if not id_number:
                return [
                    Problem(
                        "birth_date",
                        "cell.required",
                        _("Give the date of birth (or the ID number it can be read from)."),
                    )
                ]
            birth = datetime.date(
                int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
            )
        data = ResidentInput(
            name=values["name"],
            birth_date=birth,
            community_code=community,
            gender=values.get("gender") or Gender.UNSTATED,
            # Already normalised by the phone column's parser; parsed once, not twice.
            phone="",
            id_number=id_number,
            origin_code=_origin(values.get("origin_code") or ""),
            arrival_date=values.get("arrival_date"),
            address=values.get("address") or "",
            occupation=values.get("occupation") or Occupation.OTHER,
            languages=values.get("languages") or [],
        )
        try:
            cleaned = resident_input_clean(data)
        except InvalidInput as exc:
            column = CODE_COLUMNS.get(exc.code) or (
                exc.code.split(".")[0] if "." in exc.code else None
            )
            if column == "id":
                column = "id_number"
            return [
                Problem(
                    column if column in {c.key for c in self.columns} else None,
                    exc.code,
                    str(exc.message),
                )
            ]
        cleaned["phone"] = values.get("phone") or None
        if cleaned["id_number"]:
            keys = [(f"id:{cleaned['id_number']}", "id_number")]
        else:
            person = "|".join(
                (
                    normalise_name(cleaned["name"]),
                    cleaned["birth_date"].isoformat(),
                    cleaned["phone"] or "",
                )
            )
            keys = [(f"person:{person}", "name")]
        return Cleaned(values=cleaned, keys=keys)

    def existing(self, context: Context, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        by_index = {blind_index("id_number", key[3:]): key for key in keys if key.startswith("id:")}
        if by_index:
            found.update(
                by_index[index]
                for index in Resident.objects.filter(
                    id_number_index__in=list(by_index)
                ).values_list("id_number_index", flat=True)
            )
        people = [key[7:].split("|") for key in keys if key.startswith("person:")]
        if people:
            names = {name for name, _born, _phone in people}
            births = {datetime.date.fromisoformat(born) for _name, born, _phone in people}
            registered = {
                (name, born.isoformat(), phone_index or "")
                for name, born, phone_index in Resident.objects.filter(
                    name_normalised__in=names, birth_date__in=births
                ).values_list("name_normalised", "birth_date", "phone_index")
            }
            for name, born, phone in people:
                index = blind_index("phone", phone) if phone else ""
                if (name, born, index) in registered:
                    found.add(f"person:{name}|{born}|{phone}")
        return found

    def write(self, context: Context, rows: list[ValidRow], *, job: Any) -> list[int]:
        residents = [
            Resident(
                registered_via=RegisteredVia.IMPORT,
                registered_by=job.owner,
                name_normalised=normalise_name(row.cleaned.values["name"]),
                **row.cleaned.values,
            )
            for row in rows
        ]
        created = Resident.objects.bulk_create(residents, batch_size=500)
        ids = [resident.pk for resident in created]
        evidence = f"import {job.pk}: {job.evidence}"[:200]
        Consent.objects.bulk_create(
            [
                Consent(
                    resident_id=pk,
                    purpose=Purpose.SERVICE_DELIVERY,
                    channel=ConsentChannel.COUNTER,
                    evidence=evidence,
                    recorded_by=job.owner,
                )
                for pk in ids
            ],
            batch_size=500,
        )
        # One entry per batch (not per resident): the batch's rows, who vouched, what was made.
        audit.record(
            actor=job.owner,
            action="residents.imported",
            target=job,
            area_code=job.area_id,
            changes={
                "rows": f"{rows[0].row}-{rows[-1].row}",
                "created": len(ids),
                "residents": ids,
                "consent_evidence": job.evidence,
            },
        )
        return ids


importers.register(ResidentImporter())


SAMPLE_HEADER = [
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "出生日期",
    "手机号",
    "民族",
    "现居社区",
    "现住址",
    "职业",
]


_FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_OCCUPATIONS = ["外卖骑手", "快递员", "网约车司机", "建筑工人", "服务业", "个体户", "厨师", "学生"]


def _sample_row(rng: random.Random, n: int, community: str, seen: set[str]) -> list[Any]:
    """One synthetic person, written the way registers write them (the format varies by row)."""
    from sihai.core.synth import id_number, person_name, phone_number  # noqa: PLC0415

    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 45))
    female = rng.random() < 0.5
    number = id_number(rng, born, female=female)
    while number in seen:
        number = id_number(rng, born, female=female)
    seen.add(number)
    shown: Any = number
    if n % 7 == 3:
        shown = number.lower()
    elif n % 11 == 5:
        shown = number.translate(_FULL_WIDTH)
    written: Any = (
        born,
        (born - datetime.date(1899, 12, 30)).days,  # an Excel serial number
        born.isoformat(),
        f"{born.year}/{born.month}/{born.day}",
        f"{born.year}年{born.month}月{born.day}日",
    )[n % 5]
    phone = phone_number(rng).removeprefix("+86")
    if n % 4 == 1:
        phone = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    return [
        n + 1,
        person_name(rng),
        "女" if female else "男",
        shown,
        written,
        phone,
        rng.choice(["汉族", "彝族", "白族", "回族", "傣族"]),
        community,
        f"示例路 {rng.randrange(1, 300)} 号",
        rng.choice(_OCCUPATIONS),
    ]


def _broken_rows(first: list[Any], community: str) -> list[list[Any]]:
    """Ten rows a check must refuse, each for its own reason."""
    from sihai.core.identity import id_check_digit  # noqa: PLC0415

    first_id = str(first[3])  # the first row's ID number is written plainly
    wrong = first_id[:17] + ("0" if first_id[17] != "0" else "1")
    other = "53010219900101001"
    other += "1" if id_check_digit(other) != "1" else "2"
    first_born = datetime.date(int(first_id[6:10]), int(first_id[10:12]), int(first_id[12:14]))
    rows: list[list[Any]] = [
        ["", "王错号", "男", other, "1990-01-01", "13900000001"],
        ["", "李重复", "女", first_id, first_born.isoformat(), "13900000002"],
        ["", "张电话", "男", "", "1991-03-03", "123"],
        ["", "赵日期", "女", "", "1992-02-30", "13900000004"],
        ["", "钱外区", "男", "", "1993-04-04", "13900000005", "汉族", "小坝社区"],
        ["", '=HYPERLINK("http://example.invalid","点我")', "男", wrong, "1994-05-05", ""],
        ["", "", "女", "", "1995-06-06", "13900000007"],
        ["", "孙无生日", "男", "", "", "13900000008"],
        ["", "周数字号", "男", 1.10105194912310e17, "1949-12-31", "13900000009"],
        ["", "吴未来", "女", "", "2090-01-01", "13900000010"],
    ]
    padded = [row + [None] * (len(SAMPLE_HEADER) - len(row)) for row in rows]
    for row in padded:
        row[7] = row[7] or community
    return padded


@dataclass(frozen=True)
class SampleRegister:
    data: bytes
    rows: int  # data rows
    valid: int  # rows that import


def sample_register(
    count: int, *, seed: int = 1, community: str = "翠湖西路社区", bad: bool = True
) -> SampleRegister:
    """A synthetic register as a community keeps one (never real people), as .xlsx bytes.

    A merged title row and an empty row above the header; an ethnicity column (never
    imported); dates as Excel dates, serial numbers and text in three formats; ID numbers
    with a lowercase x or in full-width digits; and, with ``bad``, ten rows that must be
    refused (check digit, duplicate ID, phone, date, another area, a formula, …).
    Over 10,000 rows the workbook is streamed (and the title is not merged).
    """
    import io  # noqa: PLC0415

    from openpyxl import Workbook  # noqa: PLC0415

    rng = random.Random(seed)  # noqa: S311  (synthetic people, reproducible)
    streaming = count > 10_000
    workbook = Workbook(write_only=streaming)
    sheet = workbook.create_sheet("台账") if streaming else workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has a sheet)
    if not streaming:
        sheet.title = "台账"
    sheet.append([f"{community}流动人口登记台账（示例数据，非真实人员）"])
    sheet.append([])
    sheet.append(SAMPLE_HEADER)
    seen: set[str] = set()
    first: list[Any] = []
    for n in range(count):
        row = _sample_row(rng, n, community, seen)
        first = first or row
        sheet.append(row)
    refused = 0
    if bad and first:
        for row in _broken_rows(first, community):
            sheet.append(row)
            refused += 1
        sheet.append([])
    if not streaming:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SAMPLE_HEADER))
    out = io.BytesIO()
    workbook.save(out)
    return SampleRegister(out.getvalue(), count + refused, count)


# The demo city's finished import (registered here, where the importer lives: seed-demo runs
# every @seeder, wherever it is declared). xiaoba_worker imported Xiaoba's register, with its
# ten bad rows, so the workbench shows a result and an error workbook from the start.
@seeder("register_import", order=45)
def seed_register_import(ctx: SeedContext) -> None:
    from sihai.accounts.models import User  # noqa: PLC0415
    from sihai.spreadsheets import engine, services  # noqa: PLC0415
    from sihai.spreadsheets.models import ImportJob  # noqa: PLC0415

    worker = User.objects.filter(username="xiaoba_worker").first()
    if worker is None or ImportJob.objects.filter(owner=worker).exists():
        return
    register = sample_register(20, seed=ctx.rng.randrange(10**6), community="小坝社区")
    job, _created = services.job_upload(
        actor=worker, importer_key="residents", file_name="小坝社区台账.xlsx", data=register.data
    )
    services.job_map_as_suggested(actor=worker, job_id=job.pk)
    # Run the passes here rather than wait for a worker; the queued tasks then find their
    # lease taken and do nothing.
    engine.run(job.pk, ImportJob.objects.get(pk=job.pk).lease)
    services.job_start(actor=worker, job_id=job.pk, evidence="小坝社区 2026 年登记同意书")
    engine.run(job.pk, ImportJob.objects.get(pk=job.pk).lease)
    ctx.note("register imports", 1)
