"""The closed vocabularies of the directory: kinds of point, needs, languages, accessibility.

A *kind* is what a point is (a workstation, a school…); a *need* is what a resident
asks for ("I need medical-insurance help"). A need is met by the services offered
at points of one or more kinds. Codes are stable; labels are translated.
"""

from __future__ import annotations

import uuid

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Kind(TextChoices):
    WORKSTATION = "workstation", _("一家亲 community workstation")  # 一家亲工作站
    PRACTICE_CENTRE = "practice_centre", _("融荣与共 practice centre")  # 融荣与共实践中心
    INSURANCE_POINT = "insurance_point", _("Medical-insurance service point")  # 医保服务点
    SCHOOL = "school", _("School")  # 学校
    RESIDENCE_PERMIT_OFFICE = "residence_permit_office", _("Residence-permit office")  # 居住证
    LEGAL_AID = "legal_aid", _("Legal-aid point")  # 法律援助
    EMPLOYMENT_SERVICE = "employment_service", _("Employment service")  # 就业服务
    HEALTH_CENTRE = "health_centre", _("Community health centre")  # 社区卫生服务中心


class Need(TextChoices):
    """What a resident can say they need; each is met by points of the kinds in NEED_KINDS."""

    MEDICAL_INSURANCE = "medical_insurance", _("Medical insurance: enrol, claim, transfer")
    REGISTRATION_HELP = "registration_help", _("Register, ask a question, get referred")
    SCHOOL_PLACE = "school_place", _("A school place for my child")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    LEGAL_AID = "legal_aid", _("Legal aid and mediation")
    EMPLOYMENT = "employment", _("Finding work, job training")
    HEALTH_CARE = "health_care", _("A doctor, vaccinations, health checks")
    COMMUNITY_LIFE = "community_life", _("Community activities and festivals")


NEED_KINDS: dict[str, tuple[str, ...]] = {
    Need.MEDICAL_INSURANCE: (Kind.INSURANCE_POINT, Kind.HEALTH_CENTRE),
    Need.REGISTRATION_HELP: (Kind.WORKSTATION, Kind.PRACTICE_CENTRE),
    Need.SCHOOL_PLACE: (Kind.SCHOOL,),
    Need.RESIDENCE_PERMIT: (Kind.RESIDENCE_PERMIT_OFFICE,),
    Need.LEGAL_AID: (Kind.LEGAL_AID, Kind.WORKSTATION),
    Need.EMPLOYMENT: (Kind.EMPLOYMENT_SERVICE, Kind.PRACTICE_CENTRE),
    Need.HEALTH_CARE: (Kind.HEALTH_CENTRE,),
    Need.COMMUNITY_LIFE: (Kind.PRACTICE_CENTRE, Kind.WORKSTATION),
}

# The department that runs points of each kind (an organization's department decides which
# department officers may manage its points). Workstations and centres are community work.
KIND_DEPARTMENT: dict[str, str] = {
    Kind.WORKSTATION: "ethnic_religious",
    Kind.PRACTICE_CENTRE: "ethnic_religious",
    Kind.INSURANCE_POINT: "medical_insurance",
    Kind.SCHOOL: "education",
    Kind.RESIDENCE_PERMIT_OFFICE: "public_security",
    Kind.LEGAL_AID: "justice",
    Kind.EMPLOYMENT_SERVICE: "human_resources",
    Kind.HEALTH_CENTRE: "health",
}

# Languages a point's staff may speak: ISO 639-1 where it exists, else ISO 639-3.
LANGUAGES: dict[str, tuple[str, str]] = {
    "zh": ("普通话", "Mandarin Chinese"),
    "ii": ("彝语", "Yi (Nuosu)"),
    "bca": ("白语", "Bai"),
    "tdd": ("傣语", "Dai (Tai Nüa)"),
    "hni": ("哈尼语", "Hani"),
    "hmn": ("苗语", "Hmong (Miao)"),
    "bo": ("藏语", "Tibetan"),
    "ug": ("维吾尔语", "Uyghur"),
    "za": ("壮语", "Zhuang"),
    "en": ("英语", "English"),
    "csl": ("中国手语", "Chinese Sign Language"),
}


class Access(TextChoices):
    """Accessibility provisions a point can declare (HSDS accessibility)."""

    STEP_FREE = "step_free", _("Step-free entrance")
    ACCESSIBLE_TOILET = "accessible_toilet", _("Accessible toilet")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    SIGN_LANGUAGE = "sign_language", _("Sign-language help on request")
    LARGE_PRINT = "large_print", _("Large-print forms and reading aloud")
    ELDER_FRIENDLY = "elder_friendly", _("Seats and a priority counter for older people")


# Stable UUIDs for the needs, published as HSDS taxonomy terms (taxonomy_term_id filter).
NEED_NAMESPACE = uuid.UUID("6f1d5c1e-8c0b-4d6a-9a57-5e8f1c0d2a11")


def need_term_id(need: str) -> uuid.UUID:
    """The HSDS taxonomy-term id of a need: the same in every deployment."""
    return uuid.uuid5(NEED_NAMESPACE, f"sihai-need:{need}")


def kinds_for_need(need: str) -> tuple[str, ...]:
    return NEED_KINDS.get(need, ())
