"""Admin: surveys are snippets program leads build (in English and Spanish,
translated with Wagtail Localize, like core's topics)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms_surveys.models import Moment, Survey
from sdk import PermittedChooserViewSet, PermittedDeleteBulkAction, ProgramLeadsPolicy


class LeadsBuildSurveys(ProgramLeadsPolicy):
    """Leads of any program and superusers build surveys."""

    def user_has_permission_for_instance(self, user, action, instance):
        # A survey attached to a group keeps its answers' questions: it can
        # be changed, not deleted (its groups detach it instead).
        if action == "delete" and Moment.objects.filter(survey=instance).exists():
            return False
        return self.user_has_permission(user, action)


class SurveyViewSet(SnippetViewSet):
    model = Survey
    # Facilitators reach the admin: Wagtail's chooser would list every
    # survey to them, drafts included.
    chooser_viewset_class = PermittedChooserViewSet
    icon = "form"
    menu_label = _("Surveys")
    add_to_admin_menu = True
    menu_order = 240
    list_display = ["title", "anonymous", "locale"]
    search_fields = ["title"]


register_permission_policy(Survey, LeadsBuildSurveys(Survey))
register_snippet(SurveyViewSet)


class SurveysDeleteBulkAction(PermittedDeleteBulkAction):
    models = [Survey]


# After Wagtail's own "delete selected" for snippets, which it replaces here.
hooks.register("register_bulk_action", SurveysDeleteBulkAction, order=1)
