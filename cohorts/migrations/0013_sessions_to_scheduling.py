# SessionSeries, Session, RSVP and Attendance moved to the scheduling app;
# their tables and rows stay where they are (scheduling/migrations/
# 0001_initial.py takes the models over).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0012_merge_program_names"),
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Attendance"),
                migrations.DeleteModel(name="RSVP"),
                migrations.DeleteModel(name="Session"),
                migrations.DeleteModel(name="SessionSeries"),
            ],
        ),
    ]
