# Takes over Announcement from cohorts without touching its table
# (cohorts_announcement) or rows: the model moves in the state only. Rows that
# name the old place follow it: the content type (so the permissions given to
# the staff groups and Wagtail's log entries stay attached) and queued tasks
# of the e-mail module, which moved from cohorts.notifications. On a new
# database there are none of either, and nothing happens.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lms.moved_models import move_content_types, rename_tasks

MOVED_MODELS = ["announcement"]
OLD_TASK_MODULE = "cohorts.notifications."
NEW_TASK_MODULE = "notifications.emails."


def forwards(apps, schema_editor) -> None:
    move_content_types(apps, "cohorts", "notifications", MOVED_MODELS)
    rename_tasks(apps, OLD_TASK_MODULE, NEW_TASK_MODULE)


def backwards(apps, schema_editor) -> None:
    move_content_types(apps, "notifications", "cohorts", MOVED_MODELS)
    rename_tasks(apps, NEW_TASK_MODULE, OLD_TASK_MODULE)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cohorts", "0008_membership_log_labels"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Announcement",
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
                            "subject",
                            models.CharField(max_length=200, verbose_name="subject"),
                        ),
                        ("body", models.TextField(verbose_name="message")),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="posted"
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="author",
                            ),
                        ),
                        (
                            "cohort",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="announcements",
                                to="cohorts.cohortpage",
                                verbose_name="cohort",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "announcement",
                        "verbose_name_plural": "announcements",
                        "db_table": "cohorts_announcement",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
