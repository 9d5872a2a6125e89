from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from lms import personal_data_views, plugins


class PluginProblemsPanel(Component):
    name = "lms_plugin_problems"
    order = 10
    template_name = "lms/admin/plugin_problems.html"

    def __init__(self, problems: list[plugins.PluginStatus]) -> None:
        self.problems = problems

    def get_context_data(self, parent_context=None):
        return {"problems": self.problems, "heading": _("Plugins that are not working")}


@hooks.register("construct_homepage_panels")
def add_plugin_problems_panel(request, panels) -> None:
    problems = plugins.problems()
    if problems and request.user.has_perm("wagtailadmin.access_admin"):
        panels.insert(0, PluginProblemsPanel(problems))


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path(
            "people/<int:user_id>/data/",
            personal_data_views.admin_personal_data,
            name="lms_personal_data",
        ),
        path(
            "people/<int:user_id>/data/export/",
            personal_data_views.admin_export,
            name="lms_personal_data_export",
        ),
        path(
            "people/<int:user_id>/data/erase/",
            personal_data_views.admin_erase,
            name="lms_personal_data_erase",
        ),
    ]


@hooks.register("register_user_listing_buttons")
def personal_data_button(user, request_user):
    if request_user.is_superuser:
        yield Button(
            _("Export or erase their data"),
            reverse("lms_personal_data", args=[user.pk]),
            icon_name="download",
            priority=60,
        )
