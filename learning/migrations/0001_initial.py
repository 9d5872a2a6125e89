# Takes over LessonProgress, Certificate and ModuleRelease from cohorts without
# touching their tables (cohorts_lessonprogress, cohorts_certificate,
# cohorts_modulerelease) or rows: the models move in the state only, and their
# content types follow (lms/moved_models.py). No task of theirs is queued (the
# modules that moved define none). On a new database there is no such row, and
# nothing happens.

import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models

from lms.moved_models import move_content_types

MOVED_MODELS = ["lessonprogress", "certificate", "modulerelease"]


def forwards(apps, schema_editor) -> None:
    move_content_types(apps, "cohorts", "learning", MOVED_MODELS)


def backwards(apps, schema_editor) -> None:
    move_content_types(apps, "learning", "cohorts", MOVED_MODELS)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cohorts", "0010_calendarfeed_to_calendars"),
        ("content", "0004_brand_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ModuleRelease",
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
                            "sort_order",
                            models.IntegerField(blank=True, editable=False, null=True),
                        ),
                        ("opens_at", models.DateTimeField(verbose_name="opens")),
                        (
                            "cohort",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="module_releases",
                                to="cohorts.cohortpage",
                            ),
                        ),
                        (
                            "module",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="content.modulepage",
                                verbose_name="module",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "module opening date",
                        "verbose_name_plural": "module opening dates",
                        "db_table": "cohorts_modulerelease",
                        "ordering": ["sort_order"],
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="Certificate",
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
                            "code",
                            models.CharField(
                                max_length=32,
                                unique=True,
                                verbose_name="verification code",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                max_length=300, verbose_name="name on the certificate"
                            ),
                        ),
                        (
                            "course_title",
                            models.CharField(max_length=255, verbose_name="course"),
                        ),
                        (
                            "cohort_title",
                            models.CharField(max_length=255, verbose_name="cohort"),
                        ),
                        (
                            "issued_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="issued"
                            ),
                        ),
                        (
                            "cohort",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="certificates",
                                to="cohorts.cohortpage",
                                verbose_name="cohort",
                            ),
                        ),
                        (
                            "course",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="content.coursepage",
                                verbose_name="course",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="certificates",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="person",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "certificate",
                        "verbose_name_plural": "certificates",
                        "db_table": "cohorts_certificate",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "cohort", "course"),
                                name="one_certificate_per_course",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LessonProgress",
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
                            "status",
                            models.CharField(
                                choices=[
                                    ("started", "Started"),
                                    ("completed", "Completed"),
                                ],
                                default="started",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "answers",
                            models.JSONField(
                                blank=True, default=dict, verbose_name="answers"
                            ),
                        ),
                        (
                            "quiz_score",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="quiz score (%)"
                            ),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="started"
                            ),
                        ),
                        (
                            "completed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="completed"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                auto_now=True, verbose_name="last activity"
                            ),
                        ),
                        (
                            "cohort",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lesson_progress",
                                to="cohorts.cohortpage",
                                verbose_name="cohort",
                            ),
                        ),
                        (
                            "lesson",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="content.lessonpage",
                                verbose_name="lesson",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lesson_progress",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="person",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lesson progress",
                        "verbose_name_plural": "lesson progress",
                        "db_table": "cohorts_lessonprogress",
                        "indexes": [
                            models.Index(
                                fields=["cohort", "status", "user"],
                                name="progress_by_cohort",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "cohort", "lesson"),
                                name="one_progress_per_lesson",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
