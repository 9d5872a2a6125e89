"""Sessions and repeating sessions in the admin, in the "Cohorts" menu, scoped
to the groups the person manages, with times in the group's time zone."""

from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import modelform_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import CohortPage
from cohorts.wagtail_hooks import (
    ScopedCreateView,
    ScopedEditView,
    ScopedIndexView,
    ScopedViewSet,
    cohort_admin_viewsets,
)
from lms.forms import DatabaseIdField
from scheduling.co_hosts import MAX_CO_HOSTS, co_host_text, names_in, set_co_hosts
from scheduling.models import CoHost, Session, SessionSeries
from scheduling.rsvp import promote_waitlisted
from scheduling.sessions import sync_series
from scheduling.signals import session_cancelled


class CohortChoice(forms.Form):
    """The group a lead picked in a session or series form, read before the
    form itself so its times are taken in that group's time zone."""

    cohort = DatabaseIdField()


class CohortTimeZone:
    """Leads enter and read times in the cohort's own time zone, and are told so."""

    TIME_FIELDS = ("first_start", "starts_at", "ends_at")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # An edit view's record, read before dispatch picks the time zone
        # (Wagtail reads it later, in get() and post()): its times are shown
        # in its group's zone, as they are read back on saving.
        if "pk" in kwargs and not hasattr(self, "object"):
            self.object = self.get_object()

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(
            self.cohort_zone(request) or timezone.get_default_timezone()
        ):
            response = super().dispatch(request, *args, **kwargs)
            # A template response is rendered later, outside this zone: the
            # form's times must be written out in it.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

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


class SessionForm(forms.ModelForm):
    """A session, and the organisations hosting it with the group, typed in:
    a list of every organisation would show a facilitator the names of
    those kept off the public directory."""

    co_hosted_with = forms.CharField(
        label=_("Co-hosted with"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Organisations hosting it with the group, one per line, as the "
            "group's page should name them."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_hosted_with"].initial = co_host_text(self.instance)

    def clean_co_hosted_with(self) -> list[str]:
        names = names_in(self.cleaned_data["co_hosted_with"])
        longest = CoHost._meta.get_field("named_as").max_length
        if len(names) > MAX_CO_HOSTS:
            raise ValidationError(
                _("Name at most %(count)d organisations.") % {"count": MAX_CO_HOSTS}
            )
        if any(len(name) > longest for name in names):
            raise ValidationError(
                _("Keep each name under %(count)d characters.") % {"count": longest}
            )
        return names

    def _save_m2m(self):
        super()._save_m2m()
        set_co_hosts(self.instance, self.cleaned_data["co_hosted_with"])


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
                changed.add("sequence")
            # Saved with the fields that changed, as scheduling.sessions'
            # functions save: receivers tell a moved session by its fields.
            session.save(update_fields=sorted(changed - {"co_hosted_with"}))
            self.form.save_m2m()
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

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model,
            form=SessionForm,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.form_fields,
        )


# First in the menu, before memberships.
cohort_admin_viewsets[:0] = [SessionViewSet, SessionSeriesViewSet]
