"""Meetings of a group: repeating series, single sessions, who answered
(RSVP) and who came (Attendance).

The tables keep the names they had in the cohorts app (`cohorts_session`,
...), so moving the models here moved no row.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import CohortPage
from scheduling.recurrence import RecurrenceError, occurrence_starts


class SessionSeries(models.Model):
    """A repeating meeting; its occurrences are Session rows, one per meeting.

    Occurrences are generated in the cohort's local time, so a weekly 6 pm
    meeting stays at 6 pm across daylight-saving changes.
    """

    cohort = models.ForeignKey(
        CohortPage, on_delete=models.CASCADE, related_name="session_series"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    first_start = models.DateTimeField(_("first meeting starts"))
    duration_minutes = models.PositiveIntegerField(_("length in minutes"), default=90)
    rrule = models.CharField(
        _("repeats"),
        max_length=300,
        help_text=_("An iCalendar RRULE, e.g. FREQ=WEEKLY;COUNT=8"),
    )
    excluded_dates = models.JSONField(
        _("skipped dates"),
        default=list,
        blank=True,
        help_text=_("Dates (YYYY-MM-DD) with no meeting, e.g. holidays."),
    )
    location_name = models.CharField(_("place"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Raised when the rule or times change, for calendars."),
    )

    class Meta:
        db_table = "cohorts_sessionseries"
        verbose_name = _("repeating session")
        verbose_name_plural = _("repeating sessions")

    def __str__(self) -> str:
        return self.title or str(self.cohort)

    def clean(self) -> None:
        if self.cohort_id is None or not self.first_start:
            return
        try:
            if not occurrence_starts(self):
                raise ValidationError(
                    {"rrule": _("This rule gives no meetings; check it and the dates.")}
                )
        except RecurrenceError as error:
            raise ValidationError({"rrule": str(error)}) from error


class Session(models.Model):
    """One meeting of anything: a cohort session, a circle, a talk, a training."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    cohort = models.ForeignKey(
        CohortPage,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    series = models.ForeignKey(
        SessionSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    original_start = models.DateTimeField(
        _("originally scheduled for"),
        null=True,
        blank=True,
        help_text=_("For a meeting of a series: when the series placed it."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location_name = models.CharField(_("place"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit; beyond it people are waitlisted."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Raised when the time or place changes.")
    )
    local_weekday = models.PositiveSmallIntegerField(
        _("day of the week"),
        editable=False,
        null=True,
        help_text=_("Monday is 1, in the cohort's time zone; kept for the catalogue."),
    )

    class Meta:
        db_table = "cohorts_session"
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        indexes = [
            # A group's next (or last) session: the catalogue asks it of every
            # group it lists, the dashboard of its group. Read from the index
            # one row each, where the index of the group alone scans every
            # session of the group, or PostgreSQL scans the whole table.
            models.Index(
                fields=["cohort", "starts_at"], name="session_of_group_by_start"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["series", "original_start"],
                name="one_session_per_series_occurrence",
            ),
        ]

    def __str__(self) -> str:
        local = self.starts_at.astimezone(ZoneInfo(self.cohort.time_zone))
        return f"{self.display_title} ({local:%Y-%m-%d %H:%M %Z})"

    def save(self, *args, **kwargs):
        zone = ZoneInfo(self.cohort.time_zone)
        self.local_weekday = self.starts_at.astimezone(zone).isoweekday()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "local_weekday"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})

    @property
    def display_title(self) -> str:
        return self.title or self.cohort.title


class CoHost(models.Model):
    """An organisation hosting a session with the group, as the person who
    added it named it: the group's page shows that name, never the matched
    organisation's spelling (some organisations are kept off the public
    directory); a coalition counts the sessions each organisation co-hosted."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="co_hosts"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="co_hosted",
        verbose_name=_("organisation"),
    )
    named_as = models.CharField(_("named as"), max_length=200)

    class Meta:
        verbose_name = _("co-host")
        verbose_name_plural = _("co-hosts")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"], name="co_host_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return self.named_as


class RSVP(models.Model):
    class Status(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        DECLINED = "declined", _("Not going")
        WAITLISTED = "waitlisted", _("On the waiting list")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(_("answer"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "cohorts_rsvp"
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_rsvp_each")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "cohorts_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_attendance_record_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"
