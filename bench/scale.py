"""Scale data shared by the in-process benchmarks (`make bench-views`), the HTTP
benchmark (`make bench-http`, bench/http/) and the tests that pin what does
not grow with it: crowded groups, a person with 200 calendar events, a
person with something in each first-party plugin, many groups to list.

People made in bulk get no usable password: hashing 10,000 of them with the
production hasher would take an hour, and nobody logs in as them.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from lms_coaching.models import CoachingSession, NextStep
from lms_discussions.models import Post, Space, Thread
from lms_discussions.records import start_thread
from lms_grantwriting.models import Assignment
from lms_toolkits.models import ChecklistTick, ToolkitIndexPage
from wagtail.models import Page

from cohorts.models import CohortPage, Membership
from learning.models import LessonProgress
from scheduling.models import Attendance, Session, SessionSeries
from scheduling.sessions import sync_series
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
)
from tests.test_toolkits import make_toolkit

# Three strings My learning shows for `person_with_plugin_panels`, one from
# each first-party plugin's panel.
PLUGIN_PANEL_TEXTS = ("Shared budget agreements", "Call the county", "Need statement")


def held(circle: CohortPage, days_ago: int) -> Session:
    """A one-hour session of the group that started `days_ago` days ago."""
    start = timezone.now() - timedelta(days=days_ago)
    return SessionFactory(
        cohort=circle, starts_at=start, ends_at=start + timedelta(hours=1)
    )


def crowd(circle: CohortPage, count: int) -> None:
    """`count` participants in the group (which has a course): half have
    finished its first lesson, and each was at two sessions held in the last
    two weeks, present at one in three."""
    unusable = make_password(None)
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            email=f"c{circle.pk}-{n}@example.org",
            first_name="Pat",
            last_name=f"Member{n}",
            password=unusable,
        )
        for n in range(count)
    )
    Membership.objects.bulk_create(Membership(cohort=circle, user=u) for u in users)
    lesson = circle.course.lessons().first()
    LessonProgress.objects.bulk_create(
        LessonProgress(user=u, cohort=circle, lesson=lesson, status="completed")
        for u in users[::2]
    )
    sessions = [held(circle, 14), held(circle, 7)]
    Attendance.objects.bulk_create(
        Attendance(session=s, user=u, status="absent" if n % 3 else "present")
        for s in sessions
        for n, u in enumerate(users)
    )
    analyze()


def analyze() -> None:
    """Statistics for PostgreSQL's planner on rows just loaded in bulk.

    Autovacuum would gather them, but not inside a test's transaction nor
    before a benchmark starts; without them PostgreSQL's plans take seconds
    a query at 10,000 members."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def many_groups(parent: Page, count: int, topics) -> None:
    """`count` groups open for sign-up under `parent`, spread over every kind,
    format, the topics given and English and Spanish, so that each filter of
    the catalogue keeps some and drops others. Added without revisions (as
    an import would): a revision each would take minutes."""
    kinds, formats = CohortPage.Kind.values, CohortPage.Format.values
    topics = list(topics) or [None]
    for n in range(count):
        parent.add_child(
            instance=CohortPage(
                title=f"Scale group {n}",
                slug=f"scale-group-{n}",
                intro="A group among many.",
                kind=kinds[n % len(kinds)],
                format=formats[n % len(formats)],
                language=("en", "es")[n % 2],
                topic=topics[n % len(topics)],
                area=f"District {n % 7}",
                time_zone="America/Los_Angeles",
            )
        )


def calendar_of_200_events(person, parent: Page) -> tuple[CohortPage, CohortPage]:
    """`person` in two groups under `parent`: one with 100 one-off sessions to
    come, one meeting daily 100 times (a series). Returns the two groups."""
    now = timezone.now()
    one_off = CohortPageFactory(parent=parent)
    MembershipFactory(cohort=one_off, user=person)
    Session.objects.bulk_create(
        Session(
            cohort=one_off,
            starts_at=now + timedelta(days=day),
            ends_at=now + timedelta(days=day, hours=1),
        )
        for day in range(1, 101)
    )
    weekly = CohortPageFactory(parent=parent)
    MembershipFactory(cohort=weekly, user=person)
    series = SessionSeries.objects.create(
        cohort=weekly, first_start=now, rrule="FREQ=DAILY;COUNT=100"
    )
    sync_series(series)
    return one_off, weekly


def person_with_plugin_panels(home_page: Page, person=None):
    """A person with something in each first-party plugin's My learning panel
    (a toolkit checklist item ticked, a coaching next step, a grantwriting
    assignment due), whose texts are `PLUGIN_PANEL_TEXTS`."""
    person = person or get_user_model().objects.create_user("bench@example.org")
    library = ToolkitIndexPage.objects.child_of(home_page).first()
    if library is None:
        library = home_page.add_child(
            instance=ToolkitIndexPage(title="Toolkits", slug="toolkits")
        )
    toolkit = make_toolkit(library, PLUGIN_PANEL_TEXTS[0])
    ChecklistTick.objects.create(
        user=person, toolkit=toolkit, item=toolkit.checklist[0].id
    )
    group = CohortPageFactory(
        parent=home_page, plugins=["coaching", "grantwriting", "discussions"]
    )
    MembershipFactory(cohort=group, user=person)
    coach = MembershipFactory(cohort=group, role="facilitator").user
    session = CoachingSession.objects.create(
        cohort=group, coach=coach, coachee=person, held_at=timezone.now(), minutes=60
    )
    NextStep.objects.create(
        session=session, text=PLUGIN_PANEL_TEXTS[1], due_on=date.today() + timedelta(3)
    )
    Assignment.objects.create(
        cohort=group,
        session=SessionFactory(cohort=group),
        title=PLUGIN_PANEL_TEXTS[2],
        kind=Assignment.Kind.NEED_STATEMENT,
        due_at=timezone.now() + timedelta(days=5),
    )
    return person


THREAD_POSTS = 1_000


def busy_thread(group: CohortPage, people: list, posts: int = THREAD_POSTS) -> Thread:
    """A conversation in the group's discussion space with `posts` replies
    by `people` in turn, some quoting the one before (discussions plugin)."""
    space, _created = Space.objects.get_or_create(cohort=group)
    thread = start_thread(
        space, people[0], Thread.Kind.CONVERSATION, "Budget hearing notes", "Notes."
    )
    replies = Post.objects.bulk_create(
        Post(thread=thread, author=people[n % len(people)], body=f"Reply {n}: **ok**")
        for n in range(posts)
    )
    Thread.objects.filter(pk=thread.pk).update(
        replies=posts, last_activity_at=timezone.now()
    )
    Post.objects.filter(pk__in=[post.pk for post in replies[1::10]]).update(
        quoted=replies[0]
    )
    return thread
