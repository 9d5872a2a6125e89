"""For migrations that move models from one app to another without touching
their tables (SeparateDatabaseAndState): the rows that name a model's or a
task's old place follow it. Called with the migration's historical `apps`;
on a new database there are no such rows and nothing happens."""

from django.conf import settings


def move_content_types(apps, from_label: str, to_label: str, models: list[str]) -> None:
    """Give the moved models' content types their new app label, keeping what
    points at them (permissions, groups' and people's grants, log entries)."""
    content_types = apps.get_model("contenttypes", "ContentType")
    permissions = apps.get_model("auth", "Permission")
    group_permissions = apps.get_model("auth", "Group").permissions.through
    user_permissions = apps.get_model(settings.AUTH_USER_MODEL).user_permissions.through
    for model in models:
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


def rename_tasks(apps, old: str, new: str) -> None:
    """Point queued and finished tasks of a moved module at its new path."""
    results = apps.get_model("django_tasks_database", "DBTaskResult")
    for result in results.objects.filter(task_path__startswith=old).only("task_path"):
        result.task_path = new + result.task_path.removeprefix(old)
        result.save(update_fields=["task_path"])
