"""What leads set about a group's course on the group's page in the admin:
the course, how its lessons open, and each module's opening date.

The fields are the group page's (`course`, `release`) and the dates are this
app's `ModuleRelease`s; the panel is added to the page's editor from here, so
cohorts names nothing of the learning app.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel

from cohorts.models import CohortPage


def add_course_panel() -> None:
    """Put the course panel on the group page's editor, before the plugins
    (called once, from AppConfig.ready(), before any editor is built)."""
    panel = MultiFieldPanel(
        [
            FieldPanel("course"),
            FieldPanel("release"),
            InlinePanel(
                "module_releases",
                label=_("Module opening date"),
                help_text=_(
                    "Only when lessons open on set dates: a module of the course "
                    "above, and when it opens. Modules without a date open at once."
                ),
            ),
        ],
        heading=_("Course"),
    )
    plugins_at = next(
        (
            index
            for index, existing in enumerate(CohortPage.content_panels)
            if getattr(existing, "field_name", None) == "plugins"
        ),
        len(CohortPage.content_panels),
    )
    CohortPage.content_panels.insert(plugins_at, panel)
