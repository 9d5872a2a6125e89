from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0013_sessions_to_scheduling"),
        ("cohorts", "0014_target_ranges"),
    ]

    operations = []
