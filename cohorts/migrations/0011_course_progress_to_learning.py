# LessonProgress, Certificate and ModuleRelease moved to the learning app; their
# tables and rows stay where they are (learning/migrations/0001_initial.py
# takes the models over).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0010_calendarfeed_to_calendars"),
        ("learning", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Certificate"),
                migrations.DeleteModel(name="LessonProgress"),
                migrations.DeleteModel(name="ModuleRelease"),
            ],
        ),
    ]
