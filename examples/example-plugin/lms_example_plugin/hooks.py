from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms_example_plugin.api import router
from lms_example_plugin.models import ReadingNote, note_panels
from sdk import (
    CURRENT_MEMBER_STATUSES,
    CalendarItem,
    CohortPage,
    Delivery,
    Embed,
    Measure,
    MemberJoined,
    NotificationKind,
    OrganisationWork,
    Panel,
    Report,
    Tab,
    hookimpl,
    latest_per_person,
    notify,
    shown_name,
)

# Events seen by this process; the tests read it.
received_events: list = []


def plugin_settings() -> dict:
    return apps.get_app_config("example").plugin_settings


@hookimpl
def lms_cohort_tabs(cohort, user):
    return [Tab(label=_("Reading notes"), url=reverse("example:notes"), icon="doc")]


@hookimpl
def lms_dashboard_panels(user, request):
    if not user.is_authenticated:
        return []

    def context():
        limit = plugin_settings()["notes_on_panel"]
        return {"notes": list(ReadingNote.objects.filter(user=user)[:limit])}

    return [
        Panel(
            title=plugin_settings()["panel_title"],
            template="lms_example_plugin/panel.html",
            context=context,  # its one query runs only when the cache has no copy
            cache=note_panels,
            cache_key=f"notes-of-{user.pk}",
            cache_scope=str(user.pk),
        )
    ]


@hookimpl
def lms_calendar_events(user):
    return [
        CalendarItem(
            uid=f"example-note-{note.pk}@learning-commons",
            title=_("Review your note"),
            start=note.created_at + timedelta(days=7),
            end=note.created_at + timedelta(days=7, minutes=30),
        )
        for note in ReadingNote.objects.filter(user=user)
    ]


@hookimpl
def lms_activity(cohort, since):
    notes = ReadingNote.objects.filter(created_at__gte=since)
    if cohort is not None:
        notes = notes.filter(user__memberships__cohort=cohort)
    return latest_per_person(notes, person="user", at="created_at", kind="note")


@hookimpl
def lms_measures(program):
    return [
        Measure(
            key="example.notes",
            label=_("Reading notes written"),
            value=ReadingNote.objects.count(),
            unit=_("notes"),
        )
    ]


@hookimpl
def lms_organisation_work(organisation_ids, period):
    """Reading notes written by each organisation's members (those a lead
    confirmed), for a coalition's view of its partners."""
    notes = ReadingNote.objects.filter(
        user__affiliations__organisation__in=organisation_ids,
        user__affiliations__confirmed_at__isnull=False,
    )
    if period is not None:
        notes = period.filter(notes, "created_at")
    counts = (
        notes.values_list("user__affiliations__organisation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        OrganisationWork(
            key="example.notes", label=_("Reading notes"), counts=dict(counts)
        )
    ]


@hookimpl
def lms_testimonies(program, period):
    """Reading notes are their writers' own: none is ever quoted to funders."""
    return []


@hookimpl
def lms_reports(cohort):
    """Notes of this group's members only, one row per person, named the way
    core names people (never by e-mail address) and counted, not quoted:
    the text of a note is its writer's own."""
    written = (
        ReadingNote.objects.filter(
            user__memberships__cohort=cohort,
            user__memberships__status__in=CURRENT_MEMBER_STATUSES,
        )
        .values("user")
        .annotate(count=Count("pk"), last=Max("created_at"))
        .order_by("user")
    )
    writers = get_user_model().objects.in_bulk([row["user"] for row in written])
    rows = [
        [
            shown_name(writers[row["user"]], cohort, to_staff=True),
            row["count"],
            row["last"].date().isoformat(),
        ]
        for row in written
    ]
    columns = [_("Member"), _("Notes written"), _("Last note")]
    return [Report(name=_("Reading notes"), columns=columns, rows=rows)]


@hookimpl
def lms_export_user_data(user):
    notes = ReadingNote.objects.filter(user=user)
    return {
        "reading_notes": [
            {"text": note.text, "written": note.created_at.isoformat()}
            for note in notes
        ]
    }


@hookimpl
def lms_erase_user_data(user):
    ReadingNote.objects.filter(user=user).delete()


@hookimpl
def lms_handle_event(event):
    received_events.append(event)
    if isinstance(event, MemberJoined):
        group = CohortPage.objects.filter(pk=event.cohort_id).first()
        if group is not None:
            notify(
                [event.user_id],
                WELCOME.name,
                cohort=group,
                url=reverse("example:notes"),
                params={"group": group.title},
            )


WELCOME = NotificationKind(
    name="example.welcome",
    label=gettext_lazy("An invitation to write reading notes"),
    message=gettext_lazy("Welcome to %(group)s: keep your reading notes here"),
    description=gettext_lazy("Sent once, when you join a group."),
    default_delivery=Delivery.INBOX,
    deliveries=(Delivery.INBOX, Delivery.OFF),
)


@hookimpl
def lms_notification_kinds():
    return [WELCOME]


@hookimpl
def lms_lesson_embeds():
    return [Embed(key="note-prompt", label=_("Invitation to write a reading note"))]


@hookimpl
def lms_render_embed(key, user, request):
    if key != "note-prompt":
        return ""
    notes = (
        ReadingNote.objects.filter(user=user).count() if user.is_authenticated else 0
    )
    return render_to_string(
        "lms_example_plugin/embed.html", {"notes": notes, "user": user}, request
    )


@hookimpl
def lms_api_routes():
    return router
