"""Admin screens for leads: sessions, repeating sessions and memberships."""

from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import path, reverse
from django.utils import timezone
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
from cohorts.admin_views import new_term
from cohorts.membership import announce_completed, leave
from cohorts.models import (
    CURRENT_MEMBER_STATUSES,
    CohortPage,
    Membership,
    Program,
    Session,
    SessionSeries,
)
from cohorts.rsvp import promote_waitlisted, withdraw
from cohorts.scheduling import sync_series
from cohorts.signals import session_cancelled
from lms.audit_views import Audited, AuditedCreate, AuditedDelete, AuditedEdit
from lms.forms import DatabaseIdField
from lms.people import staff_label
from lms.spreadsheets import SafeExportIndexView


class CohortChoice(forms.Form):
    """The group a lead picked in a session or series form, read before the
    form itself so its times are taken in that group's time zone."""

    cohort = DatabaseIdField()


class CohortTimeZone:
    """Leads enter and read times in the cohort's own time zone, and are told so."""

    TIME_FIELDS = ("first_start", "starts_at", "ends_at")

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(
            self.cohort_zone(request) or timezone.get_default_timezone()
        ):
            return super().dispatch(request, *args, **kwargs)

    def cohort_zone(self, request) -> ZoneInfo | None:
        chosen = CohortChoice(request.POST)
        if chosen.is_valid():
            cohort_id = chosen.cleaned_data["cohort"]
        else:  # no group chosen yet, or not one that can be: the record's own
            cohort_id = getattr(getattr(self, "object", None), "cohort_id", None)
        zone = (
            CohortPage.objects.filter(pk=cohort_id)
            .values_list("time_zone", flat=True)
            .first()
        )
        return ZoneInfo(zone) if zone else None

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        zone = self.cohort_zone(self.request)
        if zone is None:
            help_text = _("In the time zone of the cohort you choose.")
        else:
            help_text = _("In the cohort's time zone: %(zone)s.") % {"zone": zone.key}
        for name in self.TIME_FIELDS:
            if name in form.fields:
                form.fields[name].help_text = help_text
        return form


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


class SessionIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("cohort")


class SyncSeriesOnSave:
    """Saving a repeating session creates (or cancels) its meetings at once."""

    RULE_FIELDS = {"first_start", "duration_minutes", "rrule", "excluded_dates"}

    def save_instance(self):
        if self.form.instance.pk and self.RULE_FIELDS & set(self.form.changed_data):
            self.form.instance.sequence += 1
        with transaction.atomic():
            series = super().save_instance()
            sync_series(series)
        return series


class SeriesCreateView(CohortTimeZone, SyncSeriesOnSave, ScopedCreateView):
    pass


class SeriesEditView(CohortTimeZone, SyncSeriesOnSave, ScopedEditView):
    pass


class SessionCreateView(CohortTimeZone, ScopedCreateView):
    pass


class SessionEditView(CohortTimeZone, ScopedEditView):
    """Moving a session bumps its revision; more seats go to the waiting list."""

    def save_instance(self):
        changed = set(self.form.changed_data)
        with transaction.atomic():
            session = self.form.save(commit=False)
            cancelling = (
                "status" in changed and session.status == Session.Status.CANCELLED
            )
            if cancelling or changed & {
                "starts_at",
                "ends_at",
                "location_name",
                "address",
                "online_url",
            }:
                session.sequence += 1
            session.save()
            if cancelling:
                session_cancelled.send(sender=Session, session=session)
            if "capacity" in changed:
                locked = Session.objects.select_for_update().get(pk=session.pk)
                promote_waitlisted(locked)
        return session


class SessionSeriesViewSet(ScopedViewSet):
    model = SessionSeries
    name = "cohort_series"
    url_prefix = "cohorts/series"
    icon = "repeat"
    menu_label = _("Repeating sessions")
    add_view_class = SeriesCreateView
    edit_view_class = SeriesEditView
    form_fields = [
        "cohort",
        "title",
        "first_start",
        "duration_minutes",
        "rrule",
        "excluded_dates",
        "location_name",
        "address",
        "online_url",
        "capacity",
    ]
    list_display = ["__str__", "cohort", "rrule", "first_start"]
    list_filter = ["cohort"]


class SessionViewSet(ScopedViewSet):
    model = Session
    name = "cohort_sessions"
    url_prefix = "cohorts/sessions"
    icon = "date"
    menu_label = _("Sessions")
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    form_fields = [
        "cohort",
        "title",
        "starts_at",
        "ends_at",
        "location_name",
        "address",
        "online_url",
        "capacity",
        "status",
    ]
    list_display = ["__str__", "cohort", "status", "capacity"]
    list_filter = ["cohort", "status"]
    ordering = ["starts_at"]


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
            withdraw(
                CohortPage.objects.get(pk=initial["cohort"]),
                get_user_model().objects.get(pk=initial["user"]),
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
    """Leads edit the programs they lead; superusers every program."""

    def get_queryset(self):
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


class ProgramViewSet(SnippetViewSet):
    model = Program
    edit_view_class = ProgramEditView
    delete_view_class = ProgramDeleteView
    copy_view_enabled = False

    def get_queryset(self, request):
        return permissions.led_programs(request.user)


register_snippet(ProgramViewSet)


# The "Cohorts" admin menu: these, then the viewsets the apps above add from
# their AppConfig.ready() (announcements).
cohort_admin_viewsets: list[type[ModelViewSet]] = [
    SessionViewSet,
    SessionSeriesViewSet,
    MembershipViewSet,
]


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
        "cohorts.add_session"
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
