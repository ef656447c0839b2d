"""The service catalogue: what residents can ask for, with its questions, SLA and routing.

Reference data loaded at migration time (like the department catalogue); staff adjust
it in the admin site afterwards. Times are working hours (7 a day).
"""

from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def _v(*pairs: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"key": k, "name_zh": zh, "name_en": en} for k, zh, en in pairs]


YES_NO = _v(("yes", "是", "Yes"), ("no", "否", "No"))
TOPICS = _v(
    ("residence_permit", "居住证", "Residence permit"),
    ("schooling", "子女入学", "Schooling for children"),
    ("insurance", "医疗保险", "Medical insurance"),
    ("employment", "就业与工资", "Jobs and wages"),
    ("housing", "住房", "Housing"),
    ("other", "其他", "Other"),
)
LANGUAGES = _v(
    ("mandarin", "普通话", "Mandarin"),
    ("yi", "彝语", "Yi"),
    ("bai", "白语", "Bai"),
    ("hani", "哈尼语", "Hani"),
    ("dai", "傣语", "Dai"),
    ("uyghur", "维吾尔语", "Uyghur"),
    ("tibetan", "藏语", "Tibetan"),
    ("english", "英语", "English"),
)

# code, zh, en, description zh, description en, group, private, response h, resolution h,
# department, attributes [(code, datatype, required, zh, en, values)]
CATALOGUE: list[tuple[Any, ...]] = [
    ("policy_question", "政策咨询", "Policy question",
     "关于居住证、入学、医保、就业、住房等政策的咨询。",
     "A question about residence permits, schooling, insurance, jobs or housing.",
     "consultation", True, 4, 14, None,
     [("topic", "singlevaluelist", True, "咨询事项", "Topic", TOPICS),
      ("language", "singlevaluelist", False, "希望使用的语言", "Preferred language", LANGUAGES)]),
    ("application_help", "办事帮办", "Help with an application",
     "工作站帮您准备材料、代办或陪同办理。",
     "The workstation helps you prepare papers, or applies with you.",
     "consultation", True, 7, 35, None,
     [("services", "multivaluelist", True, "需要办理的事项", "What you need to apply for",
       _v(("residence_permit", "居住证", "Residence permit"),
          ("school_seat", "随迁子女入学", "School place"),
          ("medical_insurance", "医保参保", "Medical insurance"),
          ("rental_housing", "公租房", "Public rental housing"),
          ("employment", "就业登记", "Employment registration"))),
      ("documents_ready", "singlevaluelist", False, "材料是否已备齐", "Papers ready?", YES_NO)]),
    ("school_seat", "随迁子女入学", "School place for a child",
     "随迁子女入学、转学和学位咨询。", "School places and transfers for children who moved with you.",
     "public_services", True, 7, 35, "education",
     [("child_stage", "singlevaluelist", True, "孩子就读阶段", "Child's stage",
       _v(("kindergarten", "幼儿园", "Kindergarten"), ("primary", "小学", "Primary"),
          ("junior_secondary", "初中", "Junior secondary"))),
      ("school_year", "number", False, "入学年份", "School year (e.g. 2027)", [])]),
    ("medical_insurance", "医保参保与报销", "Medical insurance",
     "城乡居民医保参保、异地就医备案和报销。",
     "Enrolment, cross-region registration and reimbursement.",
     "public_services", True, 7, 35, "medical_insurance",
     [("matter", "singlevaluelist", True, "事项", "Matter",
       _v(("enrol", "参保", "Enrolment"), ("transfer", "异地就医备案", "Cross-region registration"),
          ("reimburse", "报销", "Reimbursement")))]),
    ("residence_permit", "居住证办理", "Residence permit",
     "居住证申领、签注和换领。", "Applying for, endorsing or renewing a residence permit.",
     "public_services", True, 7, 35, "public_security",
     [("matter", "singlevaluelist", True, "事项", "Matter",
       _v(("new", "首次申领", "First application"), ("endorse", "签注", "Endorsement"),
          ("renew", "换领", "Renewal")))]),
    ("employment_help", "就业帮扶与欠薪", "Jobs and unpaid wages",
     "求职帮助、技能培训、拖欠工资。", "Finding work, training, or wages not paid.",
     "public_services", True, 7, 35, "human_resources",
     [("matter", "singlevaluelist", True, "事项", "Matter",
       _v(("job", "求职", "Finding work"), ("training", "技能培训", "Training"),
          ("wages", "拖欠工资", "Unpaid wages"))),
      ("amount", "number", False, "涉及金额（元）", "Amount involved (yuan)", [])]),
    ("rental_housing", "公租房申请咨询", "Public rental housing",
     "公共租赁住房申请条件与办理。", "Who can apply for public rental housing, and how.",
     "public_services", True, 7, 35, "housing", []),
    ("dispute", "矛盾纠纷调解", "Dispute mediation",
     "邻里、租房、劳务等纠纷，由社区人民调解。",
     "Disputes with neighbours, landlords or employers, mediated in the community.",
     "mediation", True, 7, 70, None,
     [("kind", "singlevaluelist", True, "纠纷类型", "Kind of dispute",
       _v(("neighbours", "邻里", "Neighbours"), ("landlord", "租房", "Landlord"),
          ("employer", "劳务", "Employer"), ("family", "家庭", "Family"))),
      ("parties", "number", False, "涉及人数", "People involved", [])]),
    ("legal_aid", "法律援助", "Legal aid",
     "法律咨询和法律援助申请。", "Legal advice and applying for legal aid.",
     "mediation", True, 7, 35, "justice", []),
    ("language_help", "语言与翻译帮助", "Language help",
     "办事时需要翻译或语言帮助。", "An interpreter or language help for an errand.",
     "consultation", True, 4, 14, None,
     [("language", "singlevaluelist", True, "语言", "Language", LANGUAGES),
      ("when", "datetime", False, "需要的时间", "When you need it", [])]),
    ("facility_broken", "服务阵地设施损坏", "Broken facility at a service point",
     "工作站、实践中心等服务阵地的设施损坏。",
     "Something broken at a workstation, practice centre or other service point.",
     "facilities", False, 7, 35, None,
     [("facility", "singlevaluelist", True, "设施", "Facility",
       _v(("ramp", "无障碍坡道", "Ramp"), ("lift", "电梯", "Lift"), ("light", "照明", "Lighting"),
          ("toilet", "卫生间", "Toilet"), ("sign", "标识", "Sign"), ("other", "其他", "Other"))),
      ("noticed_at", "datetime", False, "发现时间", "When you noticed", [])]),
    ("service_point_info", "服务点信息有误", "Wrong service point information",
     "服务点的开放时间、地址或电话有误。",
     "Opening hours, address or phone of a service point are wrong.",
     "facilities", False, 7, 21, None,
     [("point_name", "string", True, "服务点名称", "Service point name", []),
      ("what_is_wrong", "text", False, "哪里有误", "What is wrong", [])]),
]


def add_catalogue(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    category_model = apps.get_model("cases", "ServiceCategory")
    attribute_model = apps.get_model("cases", "CategoryAttribute")
    department_model = apps.get_model("accounts", "Department")
    for order, row in enumerate(CATALOGUE, start=1):
        code, zh, en, dzh, den, group, private, resp, resol, dept, attrs = row
        category, _ = category_model.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": zh, "name_en": en, "description_zh": dzh, "description_en": den,
                "group": group, "private": private, "response_hours": resp,
                "resolution_hours": resol, "order": order * 10, "keywords": f"{zh},{en}",
                "department": department_model.objects.filter(code=dept).first() if dept else None,
            },
        )
        for n, (acode, datatype, required, lzh, len_, values) in enumerate(attrs, start=1):
            attribute_model.objects.update_or_create(
                category=category, code=acode,
                defaults={"datatype": datatype, "required": required, "label_zh": lzh,
                          "label_en": len_, "order": n, "values": values},
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("accounts", "0002_department_catalogue")]
    operations = [migrations.RunPython(add_catalogue, migrations.RunPython.noop)]
