# CalendarFeed moved to the calendars app; its table and rows stay where they
# are (calendars/migrations/0001_initial.py takes the model over).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0009_announcement_to_notifications"),
        ("calendars", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CalendarFeed")],
        ),
    ]
