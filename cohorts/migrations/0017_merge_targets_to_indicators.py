from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0015_merge_target_ranges"),
        ("cohorts", "0016_delete_outcometarget"),
    ]

    operations = []
