from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from lms import plugins


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
