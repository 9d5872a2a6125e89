from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0010_calendarfeed_to_calendars"),
        ("cohorts", "0011_program_names"),
    ]

    operations = []
