"""The load test's two visits to the database, run with the servers' settings:

    python -m deploy.loadtest.database seed PEOPLE.json
    python -m deploy.loadtest.database verify WRITES.jsonl RESULT.json

`seed` (after `load_demo`) adds the groups and people the simulated visitors
use, signs every generated person in (a session row each, as a login would
leave) and writes what locust needs: session cookies, calendar feed
addresses, the groups' pages, sessions and lessons. `verify` reads back
every write the load test was told succeeded and every session's seats.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
django.setup()

from django.conf import settings  # noqa: E402 (after django.setup())
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from calendars.models import CalendarFeed  # noqa: E402
from cohorts.models import CohortPage, Membership  # noqa: E402
from content.models import CoursePage, StandardPage  # noqa: E402
from deploy.loadtest.checks import (  # noqa: E402
    Writes,
    lost_writes,
    overbooked_sessions,
)
from learning.models import LessonProgress  # noqa: E402
from scheduling.models import RSVP, Attendance, Session  # noqa: E402

# Enough rows that 200 simulated people spread over many groups and people;
# every participant also belongs to one of the few popular groups, whose
# sessions have few seats, so answers "going" queue for the same seats.
GROUPS = 40
POPULAR_GROUPS = 4
PARTICIPANTS = 320
POPULAR_SEATS = 5
AREAS = ["Eastside, Riverside", "Centro, Riverside", "Northgate", "Online"]
KINDS = [CohortPage.Kind.LEARNING_CIRCLE, CohortPage.Kind.TRAINING]
FORMATS = [CohortPage.Format.IN_PERSON, CohortPage.Format.ONLINE]


def make_group(parent, number: int, course) -> CohortPage:
    group = CohortPage(
        title=f"Load test circle {number}",
        slug=f"load-test-circle-{number}",
        locale_id=parent.locale_id,
        intro="A generated group for the load test.",
        kind=KINDS[number % len(KINDS)],
        format=FORMATS[number % len(FORMATS)],
        area=AREAS[number % len(AREAS)],
        time_zone="America/Los_Angeles",
        course=course,
        release=CohortPage.Release.AT_ONCE,
    )
    parent.add_child(instance=group)
    group.save_revision().publish()
    return group


def make_sessions(group: CohortPage, popular: bool) -> tuple[list, list]:
    """Two sessions held (their registers are open) and three to come, one
    with few seats; a popular group's all have few seats."""
    now = timezone.now().replace(microsecond=0)
    held = [
        Session.objects.create(
            cohort=group,
            starts_at=now - timedelta(days=7 * weeks),
            ends_at=now - timedelta(days=7 * weeks) + timedelta(hours=2),
        )
        for weeks in (1, 2)
    ]
    seats = [POPULAR_SEATS] * 3 if popular else [3, 12, None]
    coming = [
        Session.objects.create(
            cohort=group,
            starts_at=now + timedelta(days=7 * weeks),
            ends_at=now + timedelta(days=7 * weeks) + timedelta(hours=2),
            capacity=capacity,
        )
        for weeks, capacity in zip((1, 2, 3), seats, strict=True)
    ]
    return held, coming


def session_cookie(user) -> str:
    """A signed-in session for `user`, stored where the servers look."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def seed(output: Path) -> None:
    User = get_user_model()
    parent = StandardPage.objects.get(
        slug="county-learning-community", locale__language_code="en"
    )
    course = CoursePage.objects.get(
        slug="grantwriting-basics", locale__language_code="en"
    )
    lessons = [lesson.pk for lesson in course.lessons()]
    with transaction.atomic():
        facilitators = User.objects.bulk_create(
            User(email=f"load-facilitator-{n}@example.org", first_name=f"Fac {n}")
            for n in range(GROUPS)
        )
        participants = User.objects.bulk_create(
            User(email=f"load-participant-{n}@example.org", first_name=f"Part {n}")
            for n in range(PARTICIPANTS)
        )
        groups = []
        for number in range(GROUPS):
            group = make_group(parent, number, course)
            held, coming = make_sessions(group, popular=number < POPULAR_GROUPS)
            groups.append(
                {
                    "id": group.pk,
                    "url": group.url,
                    "held_sessions": [session.pk for session in held],
                    "coming_sessions": [session.pk for session in coming],
                }
            )
            Membership.objects.create(
                cohort=group,
                user=facilitators[number],
                role=Membership.Role.FACILITATOR,
                status=Membership.Status.ACTIVE,
            )
        memberships = []
        for n, person in enumerate(participants):
            for group_number in {n % GROUPS, n % POPULAR_GROUPS}:
                memberships.append(
                    Membership(
                        cohort_id=groups[group_number]["id"],
                        user=person,
                        role=Membership.Role.PARTICIPANT,
                        status=Membership.Status.ACTIVE,
                    )
                )
        Membership.objects.bulk_create(memberships)
    people = {
        "lessons": lessons,
        "groups": groups,
        "popular_groups": POPULAR_GROUPS,
        "catalogue": parent.get_parent().get_children().get(slug="find-a-group").url,
        "lesson_pages": [lesson.url for lesson in course.lessons()],
        "participants": [
            {
                "id": person.pk,
                "cookie": session_cookie(person),
                "feed": f"/cohorts/calendar/{CalendarFeed.issue(person)}.ics",
                "groups": sorted({n % GROUPS, n % POPULAR_GROUPS}),
            }
            for n, person in enumerate(participants)
        ],
        "facilitators": [
            {"id": person.pk, "cookie": session_cookie(person), "group": n}
            for n, person in enumerate(facilitators)
        ],
    }
    output.write_text(json.dumps(people))
    print(
        f"Generated {GROUPS} groups, {PARTICIPANTS} participants and "
        f"{GROUPS} facilitators, each signed in.",
        flush=True,
    )


def verify(writes_file: Path, output: Path) -> None:
    """What the database holds of each write locust was told succeeded."""
    writes = Writes.read(writes_file)
    rsvps = {
        (session, user): status
        for session, user, status in RSVP.objects.filter(
            session__in={session for session, _ in writes.rsvps}
        ).values_list("session", "user", "status")
    }
    marks = {
        (session, user): status
        for session, user, status in Attendance.objects.filter(
            session__in={session for session, _ in writes.attendance}
        ).values_list("session", "user", "status")
    }
    completed = set(
        LessonProgress.objects.filter(
            status=LessonProgress.Status.COMPLETED,
            user__in={user for user, _, _ in writes.completions},
        ).values_list("user", "cohort", "lesson")
    )
    seats = Session.objects.filter(capacity__isnull=False).annotate(
        going=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.GOING))
    )
    result = {
        "writes": writes.counts(),
        "lost": lost_writes(writes, rsvps, marks, completed),
        "overbooked": overbooked_sessions(
            (session.pk, session.capacity, session.going) for session in seats
        ),
        "sessions_with_seats": len(seats),
        "full_sessions": sum(
            1 for session in seats if session.going >= session.capacity
        ),
    }
    output.write_text(json.dumps(result))


def main(argv: list[str]) -> int:
    if argv[:1] == ["seed"] and len(argv) == 2:
        seed(Path(argv[1]))
    elif argv[:1] == ["verify"] and len(argv) == 3:
        verify(Path(argv[1]), Path(argv[2]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
