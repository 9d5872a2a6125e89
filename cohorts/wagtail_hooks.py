"""Admin screens for leads: memberships and programs, the "Cohorts" menu that
the apps above add their screens to, and a group's new term."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from cohorts import permissions
from cohorts.admin_views import ScopedChooserViewSet, ScopedDeleteBulkAction, new_term
from cohorts.membership import announce_completed, leave
from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership, Program
from cohorts.signals import membership_lapsed
from lms.audit_views import Audited, AuditedCreate, AuditedDelete, AuditedEdit
from lms.people import staff_label
from lms.spreadsheets import SafeExportIndexView


class ManagedCohortsOnly:
    """A lead reaches only the groups of the programs they lead (superusers
    all): in the listing, behind edit and delete, and among the form's groups."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(cohort__in=permissions.managed_cohorts(self.request.user))
        )

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "cohort" in form.fields:
            form.fields["cohort"].queryset = permissions.managed_cohorts(
                self.request.user
            )
        return form


class ManagedRecordOnly:
    """History and usage pages of one record, for the groups the user manages."""

    def get_base_object_queryset(self):
        return (
            super()
            .get_base_object_queryset()
            .filter(cohort__in=permissions.managed_cohorts(self.request.user))
        )


class ScopedHistoryView(ManagedRecordOnly, HistoryView):
    pass


class ScopedUsageView(ManagedRecordOnly, UsageView):
    pass


class ScopedIndexView(ManagedCohortsOnly, SafeExportIndexView):
    pass


class ScopedCreateView(ManagedCohortsOnly, CreateView):
    pass


class ScopedEditView(ManagedCohortsOnly, EditView):
    pass


class ScopedDeleteView(ManagedCohortsOnly, DeleteView):
    pass


class ScopedViewSet(ModelViewSet):
    """The cohort models' admin, scoped to the groups the user manages."""

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    # Copying would open another program's record by id.
    copy_view_enabled = False


def person_label(membership: Membership) -> str:
    return staff_label(membership.user)


class MembershipAudit(Audited):
    audit_prefix = "membership"

    def snapshot(self, membership: Membership) -> dict:
        return {
            "cohort": membership.cohort_id,
            "user": membership.user_id,
            "role": membership.role,
            "status": membership.status,
        }

    def audit_subject(self, membership: Membership):
        return membership.user


class ManagedPeopleOnly:
    """The person chooser lists the people of the lead's own groups (and,
    on edit, the person already there), not every account on the site."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "user" in form.fields:
            form.fields["user"].queryset = permissions.managed_people(
                self.request.user, also=form.instance.user_id
            )
        return form


class MembershipCreateView(
    ManagedPeopleOnly, MembershipAudit, AuditedCreate, ScopedCreateView
):
    pass


class MembershipEditView(
    ManagedPeopleOnly, MembershipAudit, AuditedEdit, ScopedEditView
):
    """Setting "left" here leaves as the person leaving does: their answers to
    coming sessions are cancelled and their places go to those waiting. So
    does any other change after which the person is no longer a current
    member of the group (put back on the waiting list, or the membership
    moved to another person or group): nobody outside a group keeps a seat
    at its sessions, or sees where they meet."""

    def save_instance(self):
        with transaction.atomic():
            membership = self._save_or_leave()
            self._withdraw_former_member(membership)
            if (
                "status" in self.form.changed_data
                and membership.status == Membership.Status.COMPLETED
            ):
                announce_completed(membership)
        return membership

    def _withdraw_former_member(self, membership: Membership) -> None:
        initial = self.form.initial
        if initial.get("status") not in CURRENT_MEMBER_STATUSES:
            return
        still = membership.status in CURRENT_MEMBER_STATUSES and (
            (initial.get("cohort"), initial.get("user"))
            == (membership.cohort_id, membership.user_id)
        )
        if not still:
            membership_lapsed.send(
                sender=Membership,
                cohort=CohortPage.objects.get(pk=initial["cohort"]),
                user=get_user_model().objects.get(pk=initial["user"]),
            )

    def _save_or_leave(self) -> Membership:
        before = self.form.initial.get("status")
        leaving = (
            "status" in self.form.changed_data
            and self.form.instance.status == Membership.Status.LEFT
        )
        if not leaving:
            return super().save_instance()
        with transaction.atomic():
            # Other fields are saved (and audited) first; leave() then makes
            # the status change with everything that goes with it.
            self.form.instance.status = before
            membership = super().save_instance()
            kept = self.snapshot(membership)
            leave(membership)
            membership.status = Membership.Status.LEFT
            self.audit(
                "change", membership, before=kept, after=self.snapshot(membership)
            )
        return membership


class MembershipDeleteView(MembershipAudit, AuditedDelete, ScopedDeleteView):
    """Removing someone first leaves for them, with the same consequences."""

    def delete_action(self):
        with transaction.atomic():
            leave(self.object)
            super().delete_action()


class MembershipViewSet(ScopedViewSet):
    model = Membership
    name = "cohort_memberships"
    url_prefix = "cohorts/memberships"
    icon = "group"
    menu_label = _("Memberships")
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    form_fields = ["cohort", "user", "role", "status", "goal", "goal_met"]
    list_display = [
        Column("user", label=_("person"), accessor=person_label),
        "cohort",
        "role",
        "status",
        "joined_at",
    ]
    list_filter = ["cohort", "role", "status"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_export = [
        "user",
        "user.email",
        "cohort",
        "role",
        "status",
        "goal",
        "goal_met",
        "joined_at",
    ]
    export_headings = {"user.email": _("e-mail address")}
    export_filename = "memberships"

    def formfield_for_dbfield(self, db_field, **kwargs):
        field = super().formfield_for_dbfield(db_field, **kwargs)
        if db_field.name == "user":
            field.label_from_instance = staff_label
        return field


class LedProgramsOnly:
    """Leads reach the programs they lead, by any address of the admin (edit,
    delete, history, usage); superusers every program."""

    def get_queryset(self):
        return permissions.led_programs(self.request.user)

    def get_base_object_queryset(self):
        return permissions.led_programs(self.request.user)


class LeadsAudit(Audited):
    """Who leads a program is a role: only its changes are audited."""

    audit_prefix = "program"

    def snapshot(self, program: Program) -> dict:
        return {"leads": sorted(program.leads.values_list("pk", flat=True))}


class ProgramEditView(LeadsAudit, AuditedEdit, LedProgramsOnly, snippet_views.EditView):
    pass


class ProgramDeleteView(
    LeadsAudit, AuditedDelete, LedProgramsOnly, snippet_views.DeleteView
):
    pass


class ProgramHistoryView(LedProgramsOnly, snippet_views.HistoryView):
    pass


class ProgramUsageView(LedProgramsOnly, snippet_views.UsageView):
    pass


class ProgramChooserViewSet(ScopedChooserViewSet):
    def scoped(self, user):
        # The programs a group may be filed under (a chapter's leads: any).
        return Program.objects.for_groups_of(user)


class ProgramViewSet(SnippetViewSet):
    model = Program
    chooser_viewset_class = ProgramChooserViewSet
    edit_view_class = ProgramEditView
    delete_view_class = ProgramDeleteView
    history_view_class = ProgramHistoryView
    usage_view_class = ProgramUsageView
    copy_view_enabled = False

    def get_queryset(self, request):
        return permissions.led_programs(request.user)


register_snippet(ProgramViewSet)


class ProgramsDeleteBulkAction(ScopedDeleteBulkAction):
    models = [Program]

    def scoped(self, user):
        return permissions.led_programs(user)


# After Wagtail's own "delete selected" for snippets, which it replaces here.
hooks.register("register_bulk_action", ProgramsDeleteBulkAction, order=1)


# The "Cohorts" admin menu: memberships, and the viewsets the apps above add
# from their wagtail_hooks (sessions and repeating sessions first, then
# announcements).
cohort_admin_viewsets: list[type[ModelViewSet]] = [MembershipViewSet]


class CohortAdminGroup(ViewSetGroup):
    menu_label = _("Cohorts")
    menu_icon = "group"
    menu_order = 200

    @property
    def items(self) -> tuple[type[ModelViewSet], ...]:
        return tuple(cohort_admin_viewsets)


@hooks.register("register_admin_viewset")
def register_cohort_admin():
    return CohortAdminGroup()


@hooks.register("register_admin_urls")
def register_new_term_url():
    return [path("cohorts/new-term/<id:page_id>/", new_term, name="cohorts_new_term")]


def _new_term_button(page, user, priority: int):
    if issubclass(page.specific_class, CohortPage) and user.has_perm(
        "scheduling.add_session"
    ):
        yield Button(
            _("New term"),
            reverse("cohorts_new_term", args=[page.pk]),
            icon_name="copy",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def new_term_listing_button(page, user, next_url=None):
    yield from _new_term_button(page, user, priority=25)


@hooks.register("register_page_header_buttons")
def new_term_header_button(page, user, view_name, next_url=None):
    yield from _new_term_button(page, user, priority=35)


@hooks.register("before_move_page")
def refuse_a_move_not_allowed(request, page, destination) -> None:
    """Wagtail's move confirmation shows itself without asking the page's
    permissions (CohortPage.permissions_for_user); ask them here."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
