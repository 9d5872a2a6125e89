"""Admin: a listing for superusers (no notes, not even there) and a menu link
to the de-identified numbers for program leads."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from lms_coaching import access
from lms_coaching.models import CoachingSession


class CoachingSessionViewSet(ModelViewSet):
    # Only superusers hold coaching permissions: no role grants them.
    model = CoachingSession
    icon = "group"
    menu_label = _("Coaching sessions")
    add_to_admin_menu = True
    menu_order = 230
    inspect_view_enabled = False
    list_display = ["held_at", "cohort", "format", "minutes"]
    list_filter = ["format"]
    form_fields = ["held_at", "minutes", "format", "topics"]


class RollupMenuItem(MenuItem):
    def is_shown(self, request):
        return access.reads_rollups(request.user)


@hooks.register("register_admin_viewset")
def register_coaching_viewset():
    return CoachingSessionViewSet("coaching_sessions")


# Under Reports, with the other numbers: a top-level item's label this long ran
# past the sidebar's edge (and further in Spanish).
@hooks.register("register_reports_menu_item")
def coaching_numbers_menu_item():
    return RollupMenuItem(
        _("Coaching in numbers"), reverse("coaching:rollup"), icon_name="table"
    )
