# Takes over CalendarFeed from cohorts without touching its table
# (cohorts_calendarfeed) or rows: the model moves in the state only, and its
# content type follows (lms/moved_models.py). On a new database there is no
# such row, and nothing happens.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lms.moved_models import move_content_types

MOVED_MODELS = ["calendarfeed"]


def forwards(apps, schema_editor) -> None:
    move_content_types(apps, "cohorts", "calendars", MOVED_MODELS)


def backwards(apps, schema_editor) -> None:
    move_content_types(apps, "calendars", "cohorts", MOVED_MODELS)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cohorts", "0009_announcement_to_notifications"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarFeed",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "token_hash",
                            models.CharField(
                                max_length=64,
                                unique=True,
                                verbose_name="hash of the secret",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="created"
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="calendar_feed",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="person",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "calendar feed",
                        "verbose_name_plural": "calendar feeds",
                        "db_table": "cohorts_calendarfeed",
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
