"""Admin screens for leads: sessions, repeating sessions and memberships."""

from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from cohorts.admin_views import new_term
from cohorts.models import Announcement, CohortPage, Membership, Session, SessionSeries
from cohorts.notifications import notify_cancellation, post_announcement
from cohorts.rsvp import promote_waitlisted
from cohorts.scheduling import sync_series


class CohortTimeZone:
    """Leads enter and read times in the cohort's own time zone, and are told so."""

    TIME_FIELDS = ("first_start", "starts_at", "ends_at")

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(
            self.cohort_zone(request) or timezone.get_default_timezone()
        ):
            return super().dispatch(request, *args, **kwargs)

    def cohort_zone(self, request) -> ZoneInfo | None:
        cohort_id = request.POST.get("cohort", "")
        if not cohort_id.isdigit():
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


class SessionIndexView(IndexView):
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


class SeriesCreateView(CohortTimeZone, SyncSeriesOnSave, CreateView):
    pass


class SeriesEditView(CohortTimeZone, SyncSeriesOnSave, EditView):
    pass


class SessionCreateView(CohortTimeZone, CreateView):
    pass


class SessionEditView(CohortTimeZone, EditView):
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
                notify_cancellation(session)
            if "capacity" in changed:
                locked = Session.objects.select_for_update().get(pk=session.pk)
                promote_waitlisted(locked)
        return session


class SessionSeriesViewSet(ModelViewSet):
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


class SessionViewSet(ModelViewSet):
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


class MembershipViewSet(ModelViewSet):
    model = Membership
    name = "cohort_memberships"
    url_prefix = "cohorts/memberships"
    icon = "group"
    menu_label = _("Memberships")
    form_fields = ["cohort", "user", "role", "status", "goal", "goal_met"]
    list_display = ["user", "cohort", "role", "status", "joined_at"]
    list_filter = ["cohort", "role", "status"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_export = ["user", "cohort", "role", "status", "goal", "goal_met", "joined_at"]
    export_filename = "memberships"


class AnnouncementCreateView(CreateView):
    """Posting from the admin e-mails members exactly as posting on the site."""

    def save_instance(self):
        data = self.form.cleaned_data
        return post_announcement(
            data["cohort"], self.request.user, data["subject"], data["body"]
        )


class AnnouncementViewSet(ModelViewSet):
    model = Announcement
    name = "cohort_announcements"
    url_prefix = "cohorts/announcements"
    icon = "mail"
    menu_label = _("Announcements")
    add_view_class = AnnouncementCreateView
    form_fields = ["cohort", "subject", "body"]
    list_display = ["subject", "cohort", "author", "created_at"]
    list_filter = ["cohort"]
    search_fields = ["subject", "body"]


class CohortAdminGroup(ViewSetGroup):
    menu_label = _("Cohorts")
    menu_icon = "group"
    menu_order = 200
    items = (
        SessionViewSet,
        SessionSeriesViewSet,
        MembershipViewSet,
        AnnouncementViewSet,
    )


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
