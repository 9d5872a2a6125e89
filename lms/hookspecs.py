"""Every hook a plugin can implement, with what core passes and expects back.

Implement a hook by defining a function with the same name in your plugin's
`hooks` module and decorating it with `hookimpl` (`from sdk import hookimpl`).
Arguments are passed by name, so an implementation may accept only the ones
it needs.
Core calls hooks only through `lms.plugins.collect`, which keeps one failing
plugin from breaking a page. docs/plugins.md has the guide and examples.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

import pluggy
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest
    from ninja import Router

    from lms.events import Event
    from lms.versioned_cache import VersionedCache

PROJECT_NAME = "lms"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# What core passes for a group and a program: its models (`CohortPage`,
# `Program`, from `sdk`). The core's lowest layer cannot import them, so the
# hooks are typed by what a plugin may rely on; the models have these fields.
class Group(Protocol):
    """A group (cohort, circle, training, speaker event): a `CohortPage`."""

    pk: int
    title: str
    program_id: int | None
    time_zone: str
    plugins: list[str]

    def uses_plugin(self, label: str) -> bool: ...


class ProgramLike(Protocol):
    """A program that runs groups: a `Program` (its groups: `cohorts`)."""

    pk: int
    name: str
    slug: str


# A value a report's cell or a plugin's export may hold.
Cell = str | int | float | Decimal | bool | date | datetime | None


@dataclass(frozen=True)
class Tab:
    """A link in a cohort space's navigation."""

    label: str
    url: str
    icon: str = ""


@dataclass(frozen=True)
class Panel:
    """A box on a dashboard, rendered from `template` with `context`.

    `context` may be a function returning the context, so that a cached panel
    (`cache` and `cache_key` given) runs its query only when the cache has no
    copy. Core adds the language to the key. `cache_scope` (whose panel it is,
    say the user's id) lets the plugin drop one person's copies alone with
    `cache.invalidate_scope(...)`. A form in a cached panel is fine: core puts
    each visitor's own CSRF token into the kept HTML. A panel whose template
    renders nothing (only white space) is not shown: render nothing for a
    person who has nothing in it, rather than an empty box.
    """

    title: str
    template: str
    context: Mapping[str, object] | Callable[[], Mapping[str, object]] = field(
        default_factory=dict
    )
    cache: VersionedCache | None = None
    cache_key: str = ""
    cache_scope: str = ""


@dataclass(frozen=True)
class CalendarItem:
    """One entry in a personal calendar feed. `uid` must never change; `url`
    may be a path on this site (core makes it a full address). `cohort_id`
    names the group the item belongs to, if any: core leaves the item out
    whenever the person may not see that group's page (it is unpublished,
    or its privacy settings refuse them), as it leaves out its sessions."""

    uid: str
    title: str
    start: datetime
    end: datetime
    url: str = ""
    location: str = ""
    description: str = ""
    sequence: int = 0  # raise it whenever the time or place changes
    cancelled: bool = False
    cohort_id: int | None = None


@dataclass(frozen=True)
class Activity:
    """Something a participant did, for progress and "went quiet" warnings."""

    user_id: int
    kind: str
    at: datetime
    description: str = ""


@dataclass(frozen=True)
class OrganisationWork:
    """What a plugin did with organisations over a period, for a coalition's
    view of its partners: `counts` maps an organisation's id to a number
    (coaching sessions held with it, say); one left out counts 0."""

    key: str
    label: str
    counts: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Measure:
    """A number a program reports against a target, e.g. people trained.

    `unit` is shown beside the value ("hours"). `by_group` optionally breaks
    the value down by group (group id → value), for the program report's
    table of measures by group; groups left out show no figure. Set
    `adds_up` when the value of several groups is the sum of theirs (hours,
    counts; not rates or averages): a network's chapters then each show the
    sum of their groups' figures.
    """

    key: str
    label: str
    value: float
    unit: str = ""
    by_group: Mapping[int, float] = field(default_factory=dict)
    adds_up: bool = False


@dataclass(frozen=True)
class Period:
    """The stretch of time a measure counts over (a logic model's period):
    from `starts` up to `ends`, either open (None). `filter()` narrows a
    queryset on one of its date-time fields; `contains()` tells of one moment."""

    starts: datetime | None = None
    ends: datetime | None = None

    @classmethod
    def of_days(cls, first: date | None, last: date | None) -> Period:
        """From the start of day `first` to the end of day `last`, in the
        site's time zone (either None: open)."""
        zone = timezone.get_default_timezone()

        def midnight(day: date | None) -> datetime | None:
            return None if day is None else datetime.combine(day, time.min, tzinfo=zone)

        ends = midnight(last)
        if ends is not None and last < date.max:
            ends += timedelta(days=1)
        return cls(starts=midnight(first), ends=ends)

    def contains(self, moment: datetime | None) -> bool:
        """Whether a moment falls in the period (no moment: no)."""
        if moment is None:
            return False
        if self.starts is not None and moment < self.starts:
            return False
        return self.ends is None or moment < self.ends

    def filter(self, queryset, field_name: str):
        if self.starts is not None:
            queryset = queryset.filter(**{f"{field_name}__gte": self.starts})
        if self.ends is not None:
            queryset = queryset.filter(**{f"{field_name}__lt": self.ends})
        return queryset


@dataclass(frozen=True)
class Testimony:
    """Words a person allowed to be quoted to funders: `text` as they wrote
    it; `by`, how they may be named ("Ana", or "" for no name); `group`, the
    title of the group they wrote it in."""

    text: str
    by: str = ""
    group: str = ""


@dataclass(frozen=True)
class Embed:
    """Something of a plugin's that a lead can put in a lesson.

    `key` must stay the same for the same thing: lessons store it.
    """

    key: str
    label: str


@dataclass(frozen=True)
class Report:
    """A table leads can download: column titles and rows of plain values."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]


class Delivery(StrEnum):
    """How a person gets notifications of one kind (their choice per kind)."""

    INBOX = "inbox"  # in the inbox on the site only
    EMAIL = "email"  # in the inbox, and e-mailed at once
    DAILY = "daily"  # in the inbox, and in a daily digest e-mail
    WEEKLY = "weekly"  # in the inbox, and in a weekly digest e-mail
    # In the inbox, and in an e-mail the day before the group's next session
    # (a notification about no group, or a group with no session planned,
    # goes in the weekly digest instead).
    MEETING = "meeting"
    OFF = "off"  # not at all


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification, declared by core or a plugin
    (`lms_notification_kinds`) and sent with `sdk.notify`.

    `name` is stored with each notification: never change it; prefix a
    plugin's with its label ("discussions.reply"). `message` is the text the
    reader sees, translated when shown (give a lazy string), with
    `%(name)s` placeholders filled from the notification's `params` and
    `%(actor)s`, the name of who did it as the reader may see it.
    `deliveries` are the choices a person is offered (the kind's e-mail
    may be chosen elsewhere: leave e-mail out then). `visible(user,
    notifications)` answers, for notifications of this kind, the ids of
    those whose subject the reader may still see (one query for them all):
    the others are listed without their text or link. Without it, a
    notification about a group is shown to the group's current members and
    staff only, and any other to its recipient.
    """

    name: str
    label: str
    message: str
    description: str = ""
    default_delivery: Delivery = Delivery.INBOX
    deliveries: tuple[Delivery, ...] = tuple(Delivery)
    visible: Callable[[AbstractBaseUser, Sequence[object]], Collection[int]] | None = (
        None
    )


@hookspec
def lms_cohort_tabs(cohort: Group, user: AbstractBaseUser) -> list[Tab]:
    """Tabs to add to a cohort space's navigation for this user.

    Called only for plugins switched on for the cohort. Return an empty list
    when the user should not see the plugin's tab.
    """


@hookspec
def lms_dashboard_panels(
    user: AbstractBaseUser, cohort: Group | None, request: HttpRequest
) -> list[Panel]:
    """Panels for a dashboard: the user's own (`cohort` is None) or a cohort's.

    On the user's own (My learning) every plugin is asked, cohort-scoped
    ones too: such a plugin limits its panel to the groups that switched it
    on, `groups_using_plugin(user, label)` from `sdk` (one query).
    Each panel costs at most one database query: gather what the panel needs
    in one query here, or cache it.
    """


@hookspec
def lms_calendar_events(user: AbstractBaseUser) -> Iterable[CalendarItem]:
    """Items to put in the user's personal calendar feed besides sessions.

    Give a group's items from the day the person joined it on: someone who
    joined today is not sent deadlines that passed weeks ago. Set each group
    item's `cohort_id`: core then leaves it out while the person may not see
    the group's page (unpublished, or refused by its privacy settings)."""


@hookspec
def lms_activity(cohort: Group, since: datetime) -> list[Activity]:
    """What the cohort's members did since `since` (at least each member's latest).

    Facilitators' dashboards use it for "last activity" and the "went quiet"
    warning, for cohorts of any size: answer in one query, e.g. each member's
    latest activity, not every row.
    """


@hookspec
def lms_measures(program: ProgramLike | None, period: Period | None) -> list[Measure]:
    """Measures of a program's outcomes, compared by leads with its targets.

    Given a program, count only what happened in its groups (filter on
    `cohort__program=program`), and optionally give `by_group`. Given a
    `period` (a logic model's), count only what happened in it:
    `period.filter(queryset, "held_at")`; a measure whose plugin takes no
    `period` counts all the program's time. `program` is None when
    core only lists what can be measured (the target form in the admin):
    return the same keys and labels then; the values are not shown, so skip
    the counting.
    """


@hookspec
def lms_organisation_work(
    organisation_ids: Collection[int], period: Period | None
) -> list[OrganisationWork]:
    """What the plugin did with each of these organisations (core's
    `Organisation`, whose ids they are) within `period` (None: all the
    time), e.g. coaching sessions held with each. A coalition's leads read it
    beside what the organisations' people did on the site. Answer in one
    query per kind of work, however many organisations are asked about."""


@hookspec
def lms_testimonies(program: ProgramLike, period: Period | None) -> list[Testimony]:
    """Testimonies for a program's funder report: only words their writers
    allowed to be quoted, named only as they allowed (never a youth member's
    name), none a person could be picked out by where answers are anonymous
    and too few. Count only what was given within `period` when you can."""


@hookspec
def lms_reports(cohort: Group) -> list[Report]:
    """Tables a lead can download for a cohort (CSV or XLSX)."""


@hookspec
def lms_export_user_data(user: AbstractBaseUser) -> dict[str, object]:
    """Everything the plugin stores about the user, as JSON-serialisable data.

    Dates may be datetimes. A file (a model's FieldFile, say a private
    upload) may be a value: the person's download then holds the file itself
    under files/<label>/ and the JSON its name there. The download puts the
    answer under the plugin's label. Required of every plugin that stores
    personal data (a model with a foreign key to the user or an EmailField):
    `lms_plugins --check` fails without it.
    """


@hookspec
def lms_erase_user_data(user: AbstractBaseUser) -> None:
    """Delete or anonymise everything the plugin stores about the user.

    Called before core erases its own part and deletes the account, in the
    same transaction: raise to stop the erasure, which then changes nothing.
    Keep what others rely on (feedback on someone else's work) without the
    person's name. Required of every plugin that stores personal data.
    """


@hookspec
def lms_handle_event(event: Event) -> None:
    """React to a domain event from `lms.events`, after its transaction commits."""


@hookspec
def lms_lesson_embeds() -> list[Embed]:
    """What the plugin offers to show inside lessons.

    Leads pick one in a lesson's "Plugin content" block; the lesson then shows
    what `lms_render_embed` returns for it.
    """


@hookspec
def lms_render_embed(
    key: str,
    user: AbstractBaseUser,
    cohort: Group | None,
    request: HttpRequest | None,
) -> str:
    """The HTML of one of the plugin's embeds, for this user.

    `cohort` is the group the lesson is being worked through in, or None on
    the public course page (`user` may then be anonymous). Core calls only the
    plugin that offered `key`. Return "" when there is nothing to show.
    """


@hookspec
def lms_notification_kinds() -> list[NotificationKind]:
    """The kinds of notification the plugin sends with `sdk.notify`.

    People choose per kind how they hear of it (inbox only, e-mail at once,
    a daily or weekly digest, or not at all) on their e-mail settings page,
    where `label` and `description` are shown; `default_delivery` holds for
    whoever has not chosen. A notification of a kind no longer declared
    (the plugin was switched off) stays in the inbox without its text.
    """


@hookspec
def lms_api_routes() -> Router:
    """The plugin's routes in the site's REST API: a router (`sdk.api.Router`)
    mounted at `/api/v1/p/<label>/`, in the API's OpenAPI document under the
    plugin's tags. Called once, when the site's URLs load.

    Use `sdk.api`'s authentication (`PERSON`, `ANYONE`), pagination (`Pages`)
    and `answers` for the responses, and ask the same permission functions
    as the plugin's views: the API adds no rule of its own. docs/api.md has
    an example.
    """
