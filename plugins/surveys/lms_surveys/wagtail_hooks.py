"""Admin: surveys are snippets program leads build (in English and Spanish,
translated with Wagtail Localize, like core's topics)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms_surveys.models import Moment, Survey
from sdk import Program, led_programs


class LeadsBuildSurveys(BasePermissionPolicy):
    """Leads of any program and superusers build surveys: the same people
    who build a program's pages. No role's model permissions are needed."""

    def user_has_permission(self, user, action):
        if not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        cached = getattr(user, "_surveys_builder", None)
        if cached is None:
            cached = user._surveys_builder = led_programs(user).exists()
        return cached

    def user_has_permission_for_instance(self, user, action, instance):
        # A survey attached to a group keeps its answers' questions: it can
        # be changed, not deleted (its groups detach it instead).
        if action == "delete" and Moment.objects.filter(survey=instance).exists():
            return False
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(pk__in=Program.objects.values("leads")),
            is_active=True,
        )


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "form"
    menu_label = _("Surveys")
    add_to_admin_menu = True
    menu_order = 240
    list_display = ["title", "anonymous", "locale"]
    search_fields = ["title"]


register_permission_policy(Survey, LeadsBuildSurveys(Survey))
register_snippet(SurveyViewSet)
