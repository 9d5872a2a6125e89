"""The program lead's way into the reports: a menu item and the admin home's panels."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from insights.admin_home import lead_panels


class LeadsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("cohorts.view_program")


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
