from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms import page_cache, personal_data_views, plugins
from lms.audit import AuditEntry


@hooks.register("before_serve_page")
def offer_page_to_the_page_cache(page, request, serve_args, serve_kwargs) -> None:
    page_cache.may_keep_page(request, page)


# First in the list: the outermost layer, around Wagtail's privacy check.
@hooks.register("on_serve_page", order=-1)
def refuse_a_signed_in_person_instead_of_asking_to_log_in(serve):
    """Wagtail sends everyone a groups-only page refuses to the log-in page,
    which sends a person already signed in straight back: a loop the browser
    gives up on. They get the "no access" page instead."""

    def serve_or_refuse(page, request, serve_args, serve_kwargs):
        response = serve(page, request, serve_args, serve_kwargs)
        if request.user.is_authenticated and response.status_code == 302:
            log_in = resolve_url(settings.WAGTAIL_FRONTEND_LOGIN_URL)
            if urlsplit(response.get("Location", "")).path == log_in:
                raise PermissionDenied
        return response

    return serve_or_refuse


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


class SuperusersReadOnly(ModelPermissionPolicy):
    """Only superusers read the audit log, and nobody edits or deletes it."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


register_permission_policy(AuditEntry, SuperusersReadOnly(AuditEntry))


class AuditLogViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    add_to_settings_menu = True
    url_prefix = "audit-log"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # the policy refuses adding and changing entries
    list_display = ["at", "action", "actor", "subject", "target_type", "target_id"]
    list_filter = {"action": ["exact"], "at": ["gte", "lte"], "target_type": ["exact"]}
    search_fields = ["action", "actor__email", "subject__email", "target_id"]
    list_export = [
        "at",
        "action",
        "actor_id",
        "subject_id",
        "target_type",
        "target_id",
        "before",
        "after",
    ]
    export_filename = "audit-log"


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditLogViewSet("audit_log")
