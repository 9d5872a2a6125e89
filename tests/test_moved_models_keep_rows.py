"""Models moved out of cohorts keep every row: a database from before the first
move, holding the demo, is migrated forward and loses nothing.

The database is a scratch copy of the migrated template the test databases
are made from (a file beside the test database, or a PostgreSQL database of
its own), driven by a subprocess running the real
`migrate` command, so the test database and its template are not touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import override_settings
from django.utils import timezone

from calendars.models import CalendarFeed
from cohorts.models import CohortPage
from insights.demo import load_co_hosts
from learning.models import ModuleRelease
from learning.progress import complete
from lms import demo
from lms.demo import loaders
from lms.roles import PROGRAM_LEADS
from notifications.demo import load_notifications
from notifications.models import Notification
from scheduling.models import RSVP
from scheduling.rsvp import respond
from tests.database_template import default_template, template_in_hand

ROOT = Path(settings.BASE_DIR)
# The last migration of each app before the first model left cohorts (or
# None: the app did not exist yet).
BEFORE_THE_MOVES = [
    ("notifications", None),
    ("calendars", None),
    ("learning", None),
    ("scheduling", None),
]
# First-party plugins whose tables point at the moved ones (made later).
PLUGINS_AFTER_THE_MOVES = ("discussions", "surveys")
# (old app label, new app label, model, whether program leads manage it in
# the admin): every model moved so far.
MOVED = [
    ("cohorts", "notifications", "announcement", True),
    ("cohorts", "calendars", "calendarfeed", False),
    ("cohorts", "learning", "lessonprogress", False),
    ("cohorts", "learning", "certificate", False),
    ("cohorts", "learning", "modulerelease", False),
    ("cohorts", "scheduling", "sessionseries", True),
    ("cohorts", "scheduling", "session", True),
    ("cohorts", "scheduling", "rsvp", False),
    ("cohorts", "scheduling", "attendance", False),
]
# The moved tables, each given rows before the moves.
TABLES = [
    "cohorts_announcement",
    "cohorts_calendarfeed",
    "cohorts_lessonprogress",
    "cohorts_certificate",
    "cohorts_modulerelease",
    "cohorts_sessionseries",
    "cohorts_session",
    "cohorts_rsvp",
    "cohorts_attendance",
]
ACTIONS = ["add", "change", "delete", "view"]


def upgrade(media: str) -> dict:
    """Run in the subprocess, on a copy of the migrated template: migrate to
    before the moves, load the demo, note every table's rows, migrate forward,
    note them again."""
    call_command("migrate", interactive=False, verbosity=0)
    for app, migration in BEFORE_THE_MOVES:
        call_command(
            "migrate", app, migration or "zero", interactive=False, verbosity=0
        )
    # The inbox's and the co-hosts' tables came after the moves: their demo
    # waits for them.
    newer = [load_notifications, load_co_hosts]
    with (
        override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=media + "-private"),
        mock.patch.object(
            demo,
            "loaders",
            lambda: [each for each in loaders() if each not in newer],
        ),
    ):
        call_command("load_demo", force=True, stdout=StringIO())
    # The demo makes nobody's calendar address, and nobody works through its
    # course: a participant makes an address and completes the course of
    # their circle (progress and a certificate), whose first module gets a date.
    participant = get_user_model().objects.get(email="participant@example.org")
    CalendarFeed.issue(participant)
    circle = CohortPage.objects.filter(
        course__isnull=False, memberships__user=participant
    ).first()
    for lesson in circle.course.lessons():
        complete(participant, circle, lesson)
    ModuleRelease.objects.create(
        cohort=circle,
        module=circle.course.modules_only().first(),
        opens_at=timezone.now(),
    )
    # Nor answers a session: the participant says they are going to their
    # circle's next one.
    respond(
        circle.sessions.filter(starts_at__gt=timezone.now()).first(),
        participant,
        RSVP.Status.GOING,
    )
    # Running today's code on the old schema made content types for the new
    # places; a database from before the moves has only the old ones. The
    # cascade must not look for notifications about them: the inbox's tables
    # came after the moves.
    about = Notification._meta.get_field("target_type").remote_field
    with mock.patch.object(about, "on_delete", models.DO_NOTHING):
        for _old, new, model, _leads in MOVED:
            ContentType.objects.filter(app_label=new, model=model).delete()
    leads = Group.objects.get(name=PROGRAM_LEADS)

    def counts() -> dict[str, int]:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            found = {}
            for table in tables:
                quoted = connection.ops.quote_name(table)
                cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608
                found[table] = cursor.fetchone()[0]
            return found

    def places() -> dict:
        ContentType.objects.clear_cache()
        return {
            f"{old}.{model}": {
                label: {
                    "content_types": ContentType.objects.filter(
                        app_label=label, model=model
                    ).count(),
                    "permissions": sorted(
                        Permission.objects.filter(
                            content_type__app_label=label,
                            content_type__model=model,
                        ).values_list("codename", flat=True)
                    ),
                    "lead_permissions": sorted(
                        leads.permissions.filter(
                            content_type__app_label=label,
                            content_type__model=model,
                        ).values_list("codename", flat=True)
                    ),
                }
                for label in (old, new)
            }
            for old, new, model, _leads in MOVED
        }

    before, places_before = counts(), places()
    call_command("migrate", interactive=False, verbosity=0)
    return {
        "before": before,
        "after": counts(),
        "places_before": places_before,
        "places_after": places(),
        # What each moved model reads in its new app: its old table's rows.
        "read": {
            f"{old}.{model}": apps.get_model(new, model).objects.count()
            for old, new, model, _leads in MOVED
        },
    }


def _scratch_database(tmp_path: Path) -> tuple[str, Callable[[], None]]:
    """A URL for a copy of the migrated template of the backend under test,
    and a cleanup. Made beside the test database, which this test does not
    touch; `upgrade()` then migrates the moved models' apps back from it."""
    template = default_template()
    config = settings.DATABASES["default"]
    if config["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path / "upgrade.sqlite3"
        with template_in_hand(template):
            template.clone(str(path))
        return f"sqlite:///{path}", lambda: None
    name = f"upgrade_{uuid.uuid4().hex[:12]}"
    with template_in_hand(template):
        template.clone(name)
    user, password = config["USER"], config["PASSWORD"]
    auth = user + (f":{password}" if password else "")
    host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{name}", lambda: template.drop(name)


@pytest.fixture
def scratch_database(tmp_path, django_db_setup, django_db_blocker):
    """The scratch database's URL; django_db_setup makes sure the template
    exists (this test may be the first of its process)."""
    with django_db_blocker.unblock():
        url, drop = _scratch_database(tmp_path)
    yield url
    with django_db_blocker.unblock():
        drop()


@pytest.mark.long_running
def test_migrating_a_database_from_before_the_moves_keeps_every_row(
    tmp_path, scratch_database
):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": scratch_database,
    }
    # Plugins made after the moves hang on the moved tables: they are taken
    # out first (their tables dropped), and the upgrade runs without them.
    # One process for them all: each start loads the whole migration graph.
    take_out = (
        "import sys, django; django.setup(); "
        "from django.core.management import call_command; "
        "[call_command('migrate', name, 'zero', verbosity=0) for name in sys.argv[1:]]"
    )
    subprocess.run(
        [sys.executable, "-c", take_out, *PLUGINS_AFTER_THE_MOVES],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    script = (
        "import json, sys, django; django.setup(); "
        "from tests.test_moved_models_keep_rows import upgrade; "
        "print(json.dumps(upgrade(sys.argv[1])))"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "media")],
        cwd=ROOT,
        env={
            **environment,
            "LMS_PLUGINS": ",".join(
                name
                for name in ["example", *settings.FIRST_PARTY_PLUGINS]
                if name not in PLUGINS_AFTER_THE_MOVES
            ),
        },
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    report = json.loads(finished.stdout.strip().splitlines()[-1])

    for table in TABLES:
        assert report["before"][table] > 0, table
    # Every table but the migration log, which gains the moves' migrations.
    applied = "django_migrations"
    assert report["after"].pop(applied) > report["before"].pop(applied)
    # The inbox's and the co-hosts' tables, made after the moves, begin empty.
    for table in (
        "notifications_notification",
        "notifications_notificationpreference",
        "scheduling_cohost",
    ):
        assert report["after"].pop(table) == 0
    # Chapters' leads are given what their role names now (after every
    # migrate: chapters.setup.complete_leads_permissions): more rows, never fewer.
    granted = "auth_group_permissions"
    assert report["after"].pop(granted) >= report["before"].pop(granted)
    assert report["after"] == report["before"]
    for old, new, model, leads_manage_it in MOVED:
        assert report["read"][f"{old}.{model}"] == report["before"][f"{old}_{model}"]
        codenames = sorted(f"{action}_{model}" for action in ACTIONS)
        before = report["places_before"][f"{old}.{model}"]
        after = report["places_after"][f"{old}.{model}"]
        # Before: only under the old app, with the leads' permissions.
        assert before[old] == {
            "content_types": 1,
            "permissions": codenames,
            "lead_permissions": codenames if leads_manage_it else [],
        }
        assert before[new]["content_types"] == 0
        # After: the same rows under the new app, once, still the leads'.
        assert after[new] == before[old]
        assert after[old] == {
            "content_types": 0,
            "permissions": [],
            "lead_permissions": [],
        }
