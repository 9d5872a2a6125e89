"""The program lead's way into the reports: a menu item and the admin home's panels."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from cohorts import permissions
from cohorts.admin_views import ScopedChooserViewSet, ScopedDeleteBulkAction
from insights import affiliation_views
from insights.admin_home import lead_panels
from insights.logic_models import LogicModel
from insights.views import reads_program_reports


class LeadsMenuItem(MenuItem):
    def is_shown(self, request):
        return reads_program_reports(request.user)


@hooks.register("register_admin_menu_item")
def program_reports_menu_item():
    return LeadsMenuItem(
        _("Program reports"),
        reverse("cohorts:programs"),
        icon_name="table",
        order=210,
    )


@hooks.register("construct_homepage_panels")
def add_lead_panels(request, panels) -> None:
    panels.extend(lead_panels(request.user))


def led_logic_models(user):
    return LogicModel.objects.filter(program__in=permissions.led_programs(user))


class LedLogicModelsOnly:
    """A lead reaches the logic models of the programs they lead, by any
    address of the admin (superusers every one)."""

    def get_queryset(self):
        return led_logic_models(self.request.user)

    def get_base_object_queryset(self):
        return led_logic_models(self.request.user)


class LogicModelEditView(LedLogicModelsOnly, snippet_views.EditView):
    pass


class LogicModelDeleteView(LedLogicModelsOnly, snippet_views.DeleteView):
    pass


class LogicModelHistoryView(LedLogicModelsOnly, snippet_views.HistoryView):
    pass


class LogicModelUsageView(LedLogicModelsOnly, snippet_views.UsageView):
    pass


class LogicModelChooserViewSet(ScopedChooserViewSet):
    def scoped(self, user):
        return led_logic_models(user)


class LogicModelViewSet(SnippetViewSet):
    """Leads edit the logic models of the programs they lead; superusers all."""

    model = LogicModel
    icon = "list-ol"
    list_display = ["program", "period", "starts_on", "ends_on"]
    copy_view_enabled = False
    chooser_viewset_class = LogicModelChooserViewSet
    edit_view_class = LogicModelEditView
    delete_view_class = LogicModelDeleteView
    history_view_class = LogicModelHistoryView
    usage_view_class = LogicModelUsageView

    def get_queryset(self, request):
        return led_logic_models(request.user).select_related("program")


register_snippet(LogicModelViewSet)


class LogicModelsDeleteBulkAction(ScopedDeleteBulkAction):
    models = [LogicModel]

    def scoped(self, user):
        return led_logic_models(user)


# After Wagtail's own "delete selected" for snippets, which it replaces here.
hooks.register("register_bulk_action", LogicModelsDeleteBulkAction, order=1)


@hooks.register("register_admin_urls")
def affiliation_urls():
    patterns = [
        path("", affiliation_views.waiting, name="waiting"),
        path("<int:affiliation_id>/", affiliation_views.decide, name="decide"),
    ]
    return [
        path(
            "organisations/belonging/",
            include((patterns, "affiliations"), namespace="affiliations"),
        )
    ]


@hooks.register("register_admin_menu_item")
def affiliations_menu_item():
    return LeadsMenuItem(
        _("Who belongs where"),
        reverse("affiliations:waiting"),
        icon_name="group",
        order=215,
    )
