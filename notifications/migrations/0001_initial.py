# Takes over Announcement from cohorts without touching its table
# (cohorts_announcement) or rows: the model moves in the state only. Rows that
# name the old place follow it: the content type (so the permissions given to
# the staff groups and Wagtail's log entries stay attached) and queued tasks
# of the e-mail module, which moved from cohorts.notifications. On a new
# database there are none of either, and nothing happens.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ["announcement"]
OLD_TASK_MODULE = "cohorts.notifications."
NEW_TASK_MODULE = "notifications.emails."


def _move_content_types(apps, from_label: str, to_label: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType")
    permissions = apps.get_model("auth", "Permission")
    group_permissions = apps.get_model("auth", "Group").permissions.through
    user_permissions = apps.get_model(settings.AUTH_USER_MODEL).user_permissions.through
    for model in MOVED_MODELS:
        old = content_types.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue
        new = content_types.objects.filter(app_label=to_label, model=model).first()
        if new is not None:
            # Made by a partial `migrate` (post_migrate sees the new code): the
            # old row is what log entries point at, so it stays, and takes over
            # whatever the new one's permissions were given.
            for made in permissions.objects.filter(content_type=new):
                kept = permissions.objects.filter(
                    content_type=old, codename=made.codename
                ).first()
                if kept is None:
                    made.content_type = old
                    made.save(update_fields=["content_type"])
                    continue
                for link in group_permissions.objects.filter(permission=made):
                    group_permissions.objects.get_or_create(
                        group_id=link.group_id, permission=kept
                    )
                for link in user_permissions.objects.filter(permission=made):
                    user_permissions.objects.get_or_create(
                        user_id=link.user_id, permission=kept
                    )
            new.delete()
        old.app_label = to_label
        old.save(update_fields=["app_label"])
    content_types.objects.clear_cache()


def _rename_tasks(apps, old: str, new: str) -> None:
    results = apps.get_model("django_tasks_database", "DBTaskResult")
    for result in results.objects.filter(task_path__startswith=old).only(
        "task_path"
    ):
        result.task_path = new + result.task_path.removeprefix(old)
        result.save(update_fields=["task_path"])


def forwards(apps, schema_editor) -> None:
    _move_content_types(apps, "cohorts", "notifications")
    _rename_tasks(apps, OLD_TASK_MODULE, NEW_TASK_MODULE)


def backwards(apps, schema_editor) -> None:
    _move_content_types(apps, "notifications", "cohorts")
    _rename_tasks(apps, NEW_TASK_MODULE, OLD_TASK_MODULE)


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
