# Announcement moved to the notifications app; its table and rows stay where
# they are (notifications/migrations/0001_initial.py takes the model over).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0008_membership_log_labels"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Announcement")],
        ),
    ]
