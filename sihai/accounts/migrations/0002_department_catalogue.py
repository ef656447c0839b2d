"""The department catalogue is reference data: every deployment has the same ten kinds."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Frozen copy of sihai.accounts.roles.DEPARTMENTS as of this migration.
DEPARTMENTS = [
    ("united_front", "统战部", "United Front Work Department"),
    ("ethnic_religious", "民族宗教事务局", "Ethnic and Religious Affairs Bureau"),
    ("public_security", "公安局（居住证）", "Public Security Bureau (residence permits)"),
    ("education", "教育体育局", "Education Bureau"),
    ("medical_insurance", "医疗保障局", "Medical Insurance Bureau"),
    ("housing", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("human_resources", "人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("justice", "司法局（人民调解）", "Justice Bureau (mediation)"),
    ("civil_affairs", "民政局", "Civil Affairs Bureau"),
    ("health", "卫生健康委员会", "Health Commission"),
]


def add_departments(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    department = apps.get_model("accounts", "Department")
    for code, name_zh, name_en in DEPARTMENTS:
        department.objects.update_or_create(code=code, defaults={"name_zh": name_zh, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_departments, migrations.RunPython.noop)]
