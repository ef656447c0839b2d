"""The five application types the city starts with, written from public policy in plain terms.

Loaded by migration ``0002_application_types``; after that they are data a city officer edits
in the workbench (``/workbench/applications/types/``). docs/subsystems/applications.md
explains where each condition comes from.
"""

from __future__ import annotations

from typing import Any


def _c(rule: str, zh: str, en: str) -> dict[str, str]:
    return {"rule": rule, "why_not_zh": zh, "why_not_en": en}


TYPES: list[dict[str, Any]] = [
    {
        "code": "school_seat",
        "name_zh": "随迁子女义务教育入学",
        "name_en": "School seat for a child (compulsory education)",
        "summary_zh": "为随您在昆明居住的孩子申请公办学校学位（小学、初中）。",
        "summary_en": "A seat in a public primary or junior secondary school for your child.",
        "subject": "child",
        "conditions": [
            _c(
                "child.age in 6..15",
                "孩子在 8 月 31 日未满 6 周岁或已超过 15 周岁，不在义务教育年龄。",
                "The child is not of compulsory-school age (6 to 15 on 31 August).",
            ),
            _c(
                "resident.residence_months >= 6 or resident.has_residence_permit",
                "需在本市居住满 6 个月或持有本市居住证。",
                "You need to have lived here 6 months or hold a residence permit of the city.",
            ),
            _c(
                'resident.employment in ["employed", "flexible", "self_employed"]',
                "父母一方需在本市就业或经营（含灵活就业）。",
                "A parent needs to work here (a job, flexible work or a business).",
            ),
        ],
        "documents": [
            "id_card",
            "household_register",
            "birth_certificate",
            "rental_contract",
            "employment_proof",
        ],
        "departments": ["education"],
        "sequential": False,
        "decide_within_days": 15,
        "assigns_school_seat": True,
    },
    {
        "code": "medical_insurance",
        "name_zh": "城乡居民基本医疗保险参保",
        "name_en": "Medical insurance enrolment (resident scheme)",
        "summary_zh": "未参加职工医保的新市民可在居住地参加城乡居民医保。",
        "summary_en": "Join the city's resident medical insurance if you have no employee cover.",
        "subject": "resident",
        "conditions": [
            _c(
                'resident.insurance in ["none", "elsewhere"]',
                "您已在本市参加医疗保险，无需重复参保。",
                "You are already insured in the city.",
            ),
            _c(
                "resident.has_residence_permit or resident.residence_months >= 6",
                "需持有本市居住证或在本市居住满 6 个月。",
                "You need a residence permit or 6 months living here.",
            ),
        ],
        "documents": ["id_card", "residence_permit"],
        "departments": ["medical_insurance"],
        "sequential": False,
        "decide_within_days": 5,
        "assigns_school_seat": False,
    },
    {
        "code": "rental_housing",
        "name_zh": "保障性租赁住房",
        "name_en": "Affordable rental housing for new citizens",
        "summary_zh": "在本市无自有住房、稳定就业的新市民可申请保障性租赁住房。",
        "summary_en": "For new citizens in steady work who own no home in the city.",
        "subject": "resident",
        "conditions": [
            _c(
                'resident.housing != "own"',
                "您在本市已有自有住房。",
                "You own a home in the city.",
            ),
            _c(
                'resident.employment in ["employed", "flexible", "self_employed"]',
                "需在本市就业或经营。",
                "You need to work in the city.",
            ),
            _c(
                "resident.social_insurance_months >= 6",
                "需在本市连续缴纳社会保险满 6 个月。",
                "You need 6 months of social-insurance contributions here.",
            ),
        ],
        "documents": ["id_card", "employment_proof", "social_insurance", "rental_contract"],
        "departments": ["human_resources", "housing"],
        "sequential": True,
        "decide_within_days": 10,
        "assigns_school_seat": False,
    },
    {
        "code": "residence_permit",
        "name_zh": "居住证办理",
        "name_en": "Residence permit",
        "summary_zh": (
            "离开户籍地到本市居住半年以上，有合法稳定就业、住所或连续就读的，可申领居住证。"
        ),
        "summary_en": "For anyone living here 6 months with a job, a home or studies in the city.",
        "subject": "resident",
        "conditions": [
            _c(
                "resident.residence_months >= 6",
                "需在本市居住满 6 个月。",
                "You need to have lived in the city for 6 months.",
            ),
            _c(
                "not resident.has_residence_permit",
                "您已持有本市居住证。",
                "You already hold a residence permit of the city.",
            ),
            _c(
                'resident.employment != "none" or resident.housing in ["own", "renting"]',
                "需有合法稳定就业、合法稳定住所或在校就读之一。",
                "You need a job, a stable home, or to be studying here.",
            ),
        ],
        "documents": ["id_card", "photo", "rental_contract"],
        "departments": ["public_security"],
        "sequential": False,
        "decide_within_days": 15,
        "assigns_school_seat": False,
    },
    {
        "code": "employment_assistance",
        "name_zh": "就业援助",
        "name_en": "Employment assistance",
        "summary_zh": "求职登记、职业培训补贴和就业困难人员援助。",
        "summary_en": "Job-seeker registration, training subsidies and help for those out of work.",
        "subject": "resident",
        "conditions": [
            _c(
                "resident.age in 16..59",
                "就业援助面向 16 至 59 岁的劳动年龄人员。",
                "Employment help is for people of working age (16 to 59).",
            ),
            _c(
                'resident.employment in ["seeking", "none", "flexible"]',
                "您已稳定就业；如需转岗培训请到就业服务站咨询。",
                "You are in steady work; ask an employment service point about retraining.",
            ),
        ],
        "documents": ["id_card"],
        "departments": ["human_resources", "civil_affairs"],
        "sequential": False,
        "decide_within_days": 10,
        "assigns_school_seat": False,
    },
]
