"""iCalendar for sessions: a person's feed, a cohort's feed, one session.

A repeating series is one event with an RRULE (so calendars show it as a
series), plus an override (RECURRENCE-ID) for each meeting that differs from
the rule: moved, cancelled, retitled, or with its place revealed to this
person because they are going. Every other session is an event of its own.
UIDs never change; SEQUENCE rises with every change to the time or place.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache, partial
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vRecur

from calendars.models import CalendarFeed
from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership
from cohorts.permissions import STAFF_ROLES, privacy_refuses_sessionless
from lms.hookspecs import CalendarItem
from lms.mail import absolute_url
from lms.plugins import collect
from lms.versioned_cache import VersionedCache
from scheduling.models import RSVP, Session, SessionSeries
from scheduling.permissions import sees_place
from scheduling.recurrence import RecurrenceError, expand

# Feeds keep this much history, so a long-running cohort's feed stays small.
HISTORY = timedelta(days=180)
# Calendar apps poll feeds every few minutes to a day and most polls find
# nothing changed. The sessions of a feed are kept until something in them
# changes: each copy belongs to its owner's scope and to each of its groups'
# (cohorts/apps.py drops a scope when its sessions, answers or memberships
# change), so a change in one group rebuilds only its members' feeds.
feeds = VersionedCache("cohorts:feed", ttl_seconds=24 * 3600)
# Plugins' items change without telling core: they are kept apart, at most
# ten minutes, so a feed rebuilt for its sessions does not ask plugins again.
# Kept by group, so each poll leaves out those of groups no longer shown.
plugin_items = VersionedCache("cohorts:feed-items-by-group", ttl_seconds=600)
# The text of each session's or series' events, shared by everyone who sees it
# the same way; a feed rebuilt after a change re-renders only what changed.
event_texts = VersionedCache("cohorts:feed-event", ttl_seconds=24 * 3600)
ANSWERED = [RSVP.Status.GOING, RSVP.Status.MAYBE, RSVP.Status.WAITLISTED]


@dataclass(frozen=True)
class FeedPart:
    """Events' iCalendar text and the time zones they need a VTIMEZONE for."""

    events: bytes
    zones: frozenset[str]


def person_scope(user_id: int) -> str:
    return f"person-{user_id}"


def group_scope(cohort_id: int) -> str:
    return f"group-{cohort_id}"


def feed_owner(token: str) -> tuple[AbstractBaseUser, list[int]] | None:
    """The owner of a calendar address and the groups whose sessions are in
    their feed (their groups, and those of events they answered): one query."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .annotate(member_of=_member_of_sql(), answered_in=_answered_in_sql())
        .filter(token_hash=CalendarFeed.hash_token(token))
        .first()
    )
    if feed is None:
        return None
    groups = {
        int(cohort_id)
        for listed in (feed.member_of, feed.answered_in)
        if listed
        for cohort_id in listed.split(",")
    }
    return feed.user, sorted(groups)


# The owner's groups are written as plain SQL, like _made_of_sql: a feed is
# polled all day, and building the ORM's form of these two subqueries cost
# more than the rest of a poll (bench/test_calendar_feed.py). Only the models'
# own table and column names go into the SQL.


def _id_list(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"STRING_AGG(CAST({column} AS TEXT), ',')"
    return f"GROUP_CONCAT({column})"


def _column(model: type, field: str) -> str:
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(field).column)}"


def _placeholders(values: Iterable) -> str:
    return ", ".join("%s" for _ in values)


def _member_of_sql() -> RawSQL:
    sql = (
        f"SELECT {_id_list(_column(Membership, 'cohort'))}"  # noqa: S608
        f" FROM {connection.ops.quote_name(Membership._meta.db_table)}"
        f" WHERE {_column(Membership, 'user')} = {_column(CalendarFeed, 'user')}"
        f" AND {_column(Membership, 'status')}"
        f" IN ({_placeholders(CURRENT_MEMBER_STATUSES)})"
    )
    return RawSQL(sql, list(CURRENT_MEMBER_STATUSES), output_field=CharField())  # noqa: S611


def _answered_in_sql() -> RawSQL:
    quote = connection.ops.quote_name
    since = connection.ops.adapt_datetimefield_value(timezone.now() - HISTORY)
    sql = (
        f"SELECT {_id_list(_column(Session, 'cohort'))}"  # noqa: S608
        f" FROM {quote(RSVP._meta.db_table)} INNER JOIN {quote(Session._meta.db_table)}"
        f" ON {_column(Session, 'id')} = {_column(RSVP, 'session')}"
        f" WHERE {_column(RSVP, 'user')} = {_column(CalendarFeed, 'user')}"
        f" AND {_column(RSVP, 'status')} IN ({_placeholders(ANSWERED)})"
        f" AND {_column(Session, 'starts_at')} >= %s"
    )
    return RawSQL(sql, [*ANSWERED, since], output_field=CharField())  # noqa: S611


def personal_feed(user: AbstractBaseUser, groups: list[int], language: str) -> bytes:
    """Every session of `groups` (from `feed_owner`) the user may see, and
    what plugins add (`lms_calendar_events`)."""
    with translation.override(language):
        sessions = feeds.get(
            f"{user.pk}:all:{language}",
            lambda: sessions_part(user, sessions_for(user)),
            scope=[person_scope(user.pk), *map(group_scope, groups)],
        )
        by_group = plugin_items.get(
            f"{user.pk}:{language}",
            lambda: items_by_group(collect("lms_calendar_events", user=user)),
        )
        return feed_text(_("My sessions"), sessions, *shown_items(user, by_group))


def cohort_feed(user: AbstractBaseUser, cohort: CohortPage, language: str) -> bytes:
    """The group's sessions, as this member may see them."""
    with translation.override(language):
        sessions = feeds.get(
            f"{user.pk}:{cohort.pk}:{language}",
            lambda: sessions_part(user, sessions_for(user, cohort)),
            scope=[person_scope(user.pk), group_scope(cohort.pk)],
        )
        return feed_text(cohort.title, sessions)


def _domain() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def sessions_for(user: AbstractBaseUser, cohort: CohortPage | None = None) -> QuerySet:
    """Sessions in the user's calendar, annotated with what the user may see.

    Without `cohort`: every session of the cohorts the user belongs to, and
    every session the user answered (events are open to people who are not
    members), but none of an unpublished group (except for its staff) or of
    one whose page's privacy settings refuse the user (a feed has no browser
    session: a password-protected group's are left out), as their pages would
    refuse them. One query, whatever the number of cohorts and sessions.
    """
    my_role = Membership.objects.filter(
        cohort=OuterRef("cohort_id"), user=user, status__in=CURRENT_MEMBER_STATUSES
    ).values("role")[:1]
    my_answer = RSVP.objects.filter(session=OuterRef("pk"), user=user).values("status")[
        :1
    ]
    sessions = Session.objects.filter(starts_at__gte=timezone.now() - HISTORY)
    if cohort is not None:
        sessions = sessions.filter(cohort=cohort)
    else:
        mine = Q(
            cohort__in=Membership.objects.filter(
                user=user, status__in=CURRENT_MEMBER_STATUSES
            ).values("cohort")
        ) | Q(
            pk__in=RSVP.objects.filter(user=user, status__in=ANSWERED).values("session")
        )
        prepares = Q(cohort__in=_prepared_by(user))
        sessions = sessions.filter(mine, Q(cohort__live=True) | prepares).exclude(
            privacy_refuses_sessionless(user, "cohort__path")
        )
    # The cohorts are fetched once each (prefetch), not joined into every row:
    # a Wagtail page is costly to build, and a feed has few cohorts.
    return (
        sessions.select_related("series")
        .prefetch_related("cohort")
        .annotate(my_role=Subquery(my_role), my_answer=Subquery(my_answer))
        .order_by("starts_at", "pk")
    )


def _prepared_by(user: AbstractBaseUser) -> QuerySet:
    """The groups the user runs. Staff prepare a group before it is published
    (a new term starts as a draft): its sessions and items are in their
    calendars from the start."""
    return Membership.objects.filter(
        user=user, status__in=CURRENT_MEMBER_STATUSES, role__in=STAFF_ROLES
    ).values("cohort")


def shown_items(
    user: AbstractBaseUser, by_group: dict[int | None, FeedPart]
) -> list[FeedPart]:
    """Plugins' items (from `items_by_group`) the user may see: those of no
    group, and those of the groups whose sessions the feed would show
    (published, or run by the user, and admitted by their pages' privacy
    settings), so no plugin's item outlives the person's view of its group.
    The verdict is kept with the feed's sessions and dropped with them."""
    groups = sorted(group for group in by_group if group is not None)
    if not groups:
        return list(by_group.values())
    shown = feeds.get(
        f"{user.pk}:item-groups:{','.join(map(str, groups))}",
        lambda: _groups_shown(user, groups),
        scope=[person_scope(user.pk), *map(group_scope, groups)],
    )
    return [part for group, part in by_group.items() if group is None or group in shown]


def _groups_shown(user: AbstractBaseUser, groups: list[int]) -> frozenset[int]:
    """Of `groups`, those whose sessions `sessions_for` would show: one query."""
    return frozenset(
        CohortPage.objects.filter(Q(live=True) | Q(pk__in=_prepared_by(user)))
        .filter(pk__in=groups)
        .exclude(privacy_refuses_sessionless(user, "path"))
        .values_list("pk", flat=True)
    )


def place_revealed(user: AbstractBaseUser, session: Session) -> bool:
    """The address and link are for confirmed attendees and the people running it.

    `session` must come from `sessions_for` (it carries the user's role and answer).
    """
    return _revealed(user, session.my_role, session.my_answer)


def _revealed(user: AbstractBaseUser, role: str | None, answer: str | None) -> bool:
    return sees_place(user, Membership(role=role) if role else None, answer or "")


def sessions_part(user: AbstractBaseUser, sessions: QuerySet) -> FeedPart:
    """The events of `sessions` (from `sessions_for`).

    Each series (with its overrides) and each other session is a unit whose
    iCalendar text is cached under a digest of everything it is made from, so
    rebuilding a feed after a change re-renders only the units that changed.
    """
    revealed = _place_rule(user)
    language = translation.get_language()
    units: dict[str, list[dict]] = defaultdict(list)
    rows = sessions.prefetch_related(None).values(
        "pk", "series_id", "my_role", "my_answer", made_of=_made_of_sql()
    )
    for row in rows:
        row["revealed"] = revealed(row["my_role"], row["my_answer"])
        series = row["series_id"]
        units[f"series-{series}" if series else f"session-{row['pk']}"].append(row)
    keyed = {
        _unit_key(unit, rows, language, revealed(rows[0]["my_role"], None)): rows
        for unit, rows in units.items()
    }
    built = event_texts.get_many(
        keyed, lambda missing: _build_units(user, {key: keyed[key] for key in missing})
    )
    return FeedPart(
        b"".join(built[key][0] for key in keyed),
        frozenset(zone for _, zone in built.values()),
    )


def items_by_group(items: Iterable[CalendarItem]) -> dict[int | None, FeedPart]:
    """Plugins' calendar items, by the group each belongs to (None: no group),
    so that `shown_items` leaves out those of groups the person may not see."""
    grouped: dict[int | None, list[CalendarItem]] = defaultdict(list)
    for item in items:
        grouped[item.cohort_id].append(item)
    return {group: items_part(group_items) for group, group_items in grouped.items()}


def items_part(items: Iterable[CalendarItem]) -> FeedPart:
    """Plugins' calendar items."""
    items = list(items)
    return FeedPart(
        b"".join(_item_event(item).to_ical() for item in items),
        frozenset(
            item.start.tzinfo.key
            for item in items
            if isinstance(getattr(item.start, "tzinfo", None), ZoneInfo)
        ),
    )


def feed_text(name: str, *parts: FeedPart) -> bytes:
    """A calendar called `name` with the parts' events and time zones."""
    zones = set().union(*(part.zones for part in parts))
    return _assemble(_feed_head(name), [part.events for part in parts], zones)


def session_calendar(user: AbstractBaseUser, session: Session) -> bytes:
    """One session as a file to open in any calendar (downloads, reminders)."""
    calendar = _new_calendar(session.display_title)
    calendar.add("method", "PUBLISH")
    event = _session_event(user, session).to_ical()
    return _assemble(_head(calendar), [event], {session.cohort.time_zone})


def _made_of_sql() -> RawSQL:
    """What a session's event is made from, as one text the database writes.

    Plain SQL that SQLite and PostgreSQL both read: building it with the ORM
    (JSONObject, Concat) cost more than the rest of a cached feed's rebuild.
    The cohort page and the series' rule are left out: saving either, or
    moving a page, drops every cached unit (cohorts/apps.py).
    """
    table = Session._meta.db_table
    texts = (
        f"COALESCE(CAST({table}.{Session._meta.get_field(name).column} AS TEXT), '')"
        for name in (
            "cohort",
            "original_start",
            "title",
            "starts_at",
            "ends_at",
            "location_name",
            "address",
            "online_url",
            "status",
            "sequence",
        )
    )
    # Each text after its length, so that no two sessions' values run together
    # the same way ("a|" + "" is not "a" + "|"). Only the model's own column
    # names go into the SQL: nothing from a user.
    sql = " || '|' || ".join(f"LENGTH({text}) || ':' || {text}" for text in texts)
    return RawSQL(sql, (), output_field=CharField())  # noqa: S611


def _place_rule(user: AbstractBaseUser) -> Callable[[str | None, str | None], bool]:
    """`place_revealed` for this user by role and answer (a feed has few of each)."""
    return cache(partial(_revealed, user))


def _unit_key(unit: str, rows: list[dict], language: str, revealed: bool) -> str:
    made_of = [(row["pk"], row["made_of"], row["revealed"]) for row in rows]
    digest = hashlib.sha256(repr((language, revealed, made_of)).encode())
    return f"{unit}:{digest.hexdigest()}"


def _build_units(
    user: AbstractBaseUser, missing: dict[str, list[dict]]
) -> dict[str, tuple[bytes, str]]:
    """(iCalendar text, time zone) of each unit, from one query."""
    rows = {row["pk"]: row for unit_rows in missing.values() for row in unit_rows}
    sessions = Session.objects.filter(pk__in=rows).select_related("series", "cohort")
    by_pk = {}
    for session in sessions.order_by("starts_at", "pk"):
        session.my_role = rows[session.pk]["my_role"]
        session.my_answer = rows[session.pk]["my_answer"]
        by_pk[session.pk] = session
    built = {}
    for key, unit_rows in missing.items():
        unit = [by_pk[row["pk"]] for row in unit_rows]
        if unit[0].series_id:
            unit_events = _series_events(user, unit)
        else:
            unit_events = [_session_event(user, unit[0])]
        text = b"".join(event.to_ical() for event in unit_events)
        built[key] = (text, unit[0].cohort.time_zone)
    return built


def _new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Learning Commons//Sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


_END = b"END:VCALENDAR\r\n"


def _head(calendar: Calendar) -> bytes:
    return calendar.to_ical().removesuffix(_END)


@lru_cache(maxsize=256)
def _feed_head(name: str) -> bytes:
    # Every poll of a kept feed writes its head: the same text for its name.
    return _head(_new_calendar(name))


def _assemble(head: bytes, events: list[bytes], zones: set[str]) -> bytes:
    """The calendar's head, these events' text and a VTIMEZONE for each zone."""
    zone_parts = [_vtimezone_ical(zone) for zone in sorted(zones)]
    return b"".join([head, *events, *zone_parts, _END])


@lru_cache(maxsize=64)
def _vtimezone_ical(zone: str) -> bytes:
    # Transitions from a few years back to well ahead cover any feed's sessions.
    year = timezone.now().year
    return Timezone.from_tzid(
        zone, first_date=datetime(year - 2, 1, 1), last_date=datetime(year + 5, 1, 1)
    ).to_ical()


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def _event(uid: str, session: Session, sequence: int) -> Event:
    zone = session.cohort.time_zone
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    event.add("dtstart", _local(session.starts_at, zone))
    event.add("dtend", _local(session.ends_at, zone))
    return event


def _describe(event: Event, user: AbstractBaseUser, session: Session) -> Event:
    cohort = session.cohort
    cohort_url = absolute_url(cohort.url or "/")
    lines = [cohort.title, cohort_url]
    if place_revealed(user, session):
        location = ", ".join(
            part for part in (session.location_name, session.address) if part
        )
        if session.online_url:
            location = location or session.online_url
            lines.append(_("Join online: %(link)s") % {"link": session.online_url})
    else:
        location = cohort.area
        lines.append(_("The exact place is shown once you say you are going."))
    summary = session.display_title
    cancelled = session.status == Session.Status.CANCELLED
    if cancelled:
        summary = _("Cancelled: %(title)s") % {"title": summary}
    event.add("summary", summary)
    event.add("description", "\n".join(lines))
    event.add("url", cohort_url)
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _session_event(user: AbstractBaseUser, session: Session) -> Event:
    event = _event(f"session-{session.pk}@{_domain()}", session, session.sequence)
    return _describe(event, user, session)


def _item_event(item: CalendarItem) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", timezone.now())
    event.add("sequence", item.sequence)
    event.add("summary", item.title)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if item.url:
        # Plugins may give a path; calendar apps open only full addresses.
        event.add(
            "url", item.url if urlsplit(item.url).scheme else absolute_url(item.url)
        )
    for name in ("location", "description"):
        if getattr(item, name):
            event.add(name, getattr(item, name))
    return event


def _series_events(user: AbstractBaseUser, sessions: list[Session]) -> list[Event]:
    """The series as one repeating event with its overrides, plus an event of
    its own for each meeting the rule cannot hold (all, if it holds none)."""
    series = sessions[0].series
    series.cohort = sessions[0].cohort  # the same page; saves a query
    try:
        starts, skipped = expand(series)
        rule = _bounded_rule(series, starts, skipped)
    except RecurrenceError:
        rule = None
    if rule is None:
        return [_session_event(user, session) for session in sessions]
    in_rule = set(starts)
    template = _series_template(series, starts[0], sessions[0])
    master = _event(f"series-{series.pk}@{_domain()}", template, series.sequence)
    master.add("rrule", rule)
    for start in skipped:
        master.add("exdate", _local(start, series.cohort.time_zone))
    events = [_describe(master, user, template)]
    for session in sessions:
        if session.original_start not in in_rule:
            # Kept by hand after the rule changed: an event of its own. One the
            # rule dropped (and cancelled) was never in this feed's series.
            if session.status == Session.Status.SCHEDULED:
                events.append(_session_event(user, session))
            continue
        if _differs(session, template, user):
            override = _event(master["uid"], session, session.sequence)
            override.add(
                "recurrence-id", _local(session.original_start, series.cohort.time_zone)
            )
            events.append(_describe(override, user, session))
    return events


def _series_template(
    series: SessionSeries, first: datetime, member: Session
) -> Session:
    """A meeting exactly as the rule makes it, carrying the user's role."""
    template = Session(
        cohort=series.cohort,
        series=series,
        original_start=first,
        title=series.title,
        starts_at=first,
        ends_at=first + timedelta(minutes=series.duration_minutes),
        location_name=series.location_name,
        address=series.address,
        online_url=series.online_url,
    )
    template.my_role, template.my_answer = member.my_role, None
    return template


def _differs(session: Session, template: Session, user: AbstractBaseUser) -> bool:
    return (
        session.starts_at != session.original_start
        or session.ends_at - session.starts_at != template.ends_at - template.starts_at
        or session.status != Session.Status.SCHEDULED
        or session.sequence != 0
        or (session.title, session.location_name, session.address, session.online_url)
        != (
            template.title,
            template.location_name,
            template.address,
            template.online_url,
        )
        or place_revealed(user, session) != place_revealed(user, template)
    )


def _bounded_rule(
    series: SessionSeries, starts: list[datetime], skipped: list[datetime]
) -> vRecur | None:
    """The series' rule ending at its last meeting, or None if it cannot say so.

    The rule is ended with UNTIL (instead of COUNT or no end) at the last
    meeting the site created, and restarted at the first, so calendars show
    exactly the meetings that exist. If re-expanding it from there would not
    give the same meetings, the caller lists them one by one instead.
    """
    if not starts:
        return None
    zone = ZoneInfo(series.cohort.time_zone)
    rule = vRecur.from_ical(series.rrule)
    rule.pop("COUNT", None)
    rule["UNTIL"] = [starts[-1].astimezone(ZoneInfo("UTC"))]
    local_first = starts[0].astimezone(zone).replace(tzinfo=None)
    local_until = starts[-1].astimezone(zone).replace(tzinfo=None)
    check = dict(rule)
    check["UNTIL"] = [local_until]
    expanded = rrulestr(vRecur(check).to_ical().decode(), dtstart=local_first)
    wanted = sorted(
        start.astimezone(zone).replace(tzinfo=None) for start in starts + skipped
    )
    return rule if list(expanded) == wanted else None
