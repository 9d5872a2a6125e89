from django.core.checks import Warning, register

from notifications.emails import send_reminders


@register()
def reminders_can_be_deferred(app_configs, **kwargs) -> list[Warning]:
    """Reminders wait in the task queue until their time; not every backend can."""
    if send_reminders.get_backend().supports_defer:
        return []
    return [
        Warning(
            "The task backend cannot run tasks later, so no session reminders "
            "or digests will be sent.",
            hint="Use django_tasks_db.DatabaseBackend in TASKS (the default).",
            # Its id from before notifications had an app of their own, which
            # settings silence and plugins refer to.
            id="cohorts.W001",
        )
    ]
