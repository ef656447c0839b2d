"""Deterministic synthetic people for the demo city: plausible, never real.

Names are drawn from common surnames and given-name characters, plus names in the
style of minority naming (with a middle dot, Hui-, Yi- and Dai-style) so that the
UI and matching are exercised on the names the city really sees. Every draw takes
the caller's ``random.Random``, so a seed gives the same city every time.
"""

from __future__ import annotations

import datetime
import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段"
    "雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红文辉建国云飞海燕"
    "宇婷欣怡浩然子涵梓轩佳琪诗雨俊杰晨曦嘉怡思远"
)
# Transliterated given names in the style used by several minority peoples (synthetic).
DOTTED_FIRST = ["阿依", "古丽", "阿卜杜", "热依", "扎西", "卓玛", "阿布", "米娜"]
DOTTED_LAST = ["木合塔尔", "买买提", "艾力", "吐尔逊", "次仁", "多吉", "拉姆", "哈斯"]


def person_name(rng: random.Random) -> str:
    """A synthetic personal name; about one in twelve carries a middle dot."""
    if rng.random() < 1 / 12:
        return f"{rng.choice(DOTTED_FIRST)}·{rng.choice(DOTTED_LAST)}"
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def point_near(
    rng: random.Random, lat: float, lon: float, spread_km: float = 6.0
) -> tuple[float, float]:
    """A WGS-84 point within roughly ``spread_km`` of (lat, lon) (for places, never people)."""
    degrees = spread_km / 111.0
    return (
        round(lat + rng.uniform(-degrees, degrees), 6),
        round(lon + rng.uniform(-degrees, degrees), 6),
    )


MOBILE_PREFIXES = ("138", "139", "150", "151", "158", "186", "187", "199")


def phone_number(rng: random.Random) -> str:
    """A synthetic mainland mobile number in E.164 (demo texts are never really sent)."""
    return f"+86{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


# Origin counties for synthetic ID numbers: Yunnan prefectures and neighbouring provinces.
ORIGIN_COUNTIES = (
    "532901",
    "532801",
    "533102",
    "530402",
    "532301",
    "533001",
    "532501",
    "532601",
    "510107",
    "520102",
    "450102",
    "431202",
    "360102",
    "513401",
    "533421",
    "532923",
)


def id_number(rng: random.Random, birth: datetime.date, *, female: bool) -> str:
    """A synthetic 18-character ID number with a valid GB 11643 check character."""
    from sihai.core.identity import id_check_digit  # noqa: PLC0415  (keeps synth import-light)

    sequence = rng.randrange(0, 500) * 2 + (0 if female else 1)
    first17 = f"{rng.choice(ORIGIN_COUNTIES)}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def birth_date(rng: random.Random, *, youngest: int = 18, oldest: int = 70) -> datetime.date:
    today = datetime.date(2026, 11, 1)
    return today - datetime.timedelta(days=rng.randrange(youngest * 365, oldest * 365))
