from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class ExamplePluginConfig(PluginConfig):
    name = "lms_example_plugin"
    label = "example"
    verbose_name = _("Reading notes (example plugin)")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
    default_settings = {"panel_title": "Reading notes", "notes_on_panel": 3}
    cohort_scoped = True

    def ready(self) -> None:
        super().ready()
        from lms_example_plugin.models import ReadingNote, note_panels

        # A note drops its writer's panels only, not everyone's.
        note_panels.invalidate_on(ReadingNote, scope=lambda note: str(note.user_id))
