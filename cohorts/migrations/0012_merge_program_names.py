from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0011_course_progress_to_learning"),
        ("cohorts", "0011_program_names"),
    ]

    operations = []
