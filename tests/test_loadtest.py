"""The verdicts of `make loadtest` (deploy/loadtest/checks.py) on small sets.

The load run itself is not part of `make test` (it takes minutes): these
check that what it counts as a lost write, an overbooked session or a
failed run is what it should be, and the table it prints.
"""

import json
import subprocess
import sys
import time

import psutil
import pytest
from django.conf import settings

from deploy.loadtest import checks, driver, faults
from tests.helpers import undocumented

pytestmark = pytest.mark.backend_independent


def lines(*events: dict) -> list[str]:
    return [json.dumps(event) + "\n" for event in events]


WRITES = checks.Writes.from_lines(
    [
        *lines(
            {"kind": "rsvp", "session": 1, "user": 10, "answer": "declined"},
            {"kind": "rsvp", "session": 1, "user": 10, "answer": "going"},
            {"kind": "rsvp", "session": 2, "user": 11, "answer": "maybe"},
            {"kind": "attendance", "session": 5, "user": 10, "status": "present"},
            {"kind": "attendance", "session": 5, "user": 10, "status": "late"},
            {"kind": "completion", "user": 10, "cohort": 3, "lesson": 7},
            {"kind": "server_error", "name": "RSVP", "status": 502},
        ),
        "\n",  # a blank line is skipped
    ]
)


def test_the_last_answer_per_person_is_what_the_database_must_hold():
    assert WRITES.rsvps == {(1, 10): "going", (2, 11): "maybe"}
    assert WRITES.attendance == {(5, 10): "late"}
    assert WRITES.completions == {(10, 3, 7)}
    assert WRITES.server_errors == [
        {"kind": "server_error", "name": "RSVP", "status": 502}
    ]
    assert WRITES.counts() == {
        "rsvp answers": 3,
        "attendance marks": 2,
        "lesson completions": 1,
        "rsvp rows": 2,
        "attendance rows": 1,
        "completion rows": 1,
    }


def test_an_unknown_kind_of_write_is_refused():
    with pytest.raises(ValueError, match="Unknown kind"):
        checks.Writes.from_lines(lines({"kind": "vote"}))


def test_no_write_lost_when_the_database_holds_each_answer():
    # "going" may have become the waiting list: the session was full.
    assert not checks.lost_writes(
        WRITES,
        rsvps={(1, 10): "waitlisted", (2, 11): "maybe", (9, 9): "going"},
        attendance={(5, 10): "late"},
        completed={(10, 3, 7), (10, 3, 8)},
    )


def test_each_missing_or_different_write_is_named():
    lost = checks.lost_writes(
        WRITES,
        rsvps={(1, 10): "declined"},
        attendance={(5, 10): "present"},
        completed={(10, 3, 8)},
    )
    assert lost == [
        "RSVP session 1 user 10: answered going, database has declined",
        "RSVP session 2 user 11: answered maybe, database has nothing",
        "attendance session 5 user 10: marked late, database has present",
        "completion user 10 group 3 lesson 7: not completed",
    ]


def test_a_session_with_more_going_than_seats_is_overbooked():
    assert checks.overbooked_sessions([(1, 5, 5), (2, 5, 6), (3, 3, 0)]) == [
        "session 2: 6 going, 5 seats"
    ]


STATS = [
    {
        "Type": "",
        "Name": "Aggregated",
        "Request Count": "30",
        "Requests/s": "2.5",
        "50%": "80",
        "95%": "900",
        "Failure Count": "1",
    },
    {
        "Type": "POST",
        "Name": "RSVP",
        "Request Count": "10",
        "Requests/s": "0.8333",
        "50%": "46",
        "95%": "170",
        "Failure Count": "1",
    },
    {
        "Type": "GET",
        "Name": "catalogue",
        "Request Count": "20",
        "Requests/s": "1.6666",
        "50%": "120",
        "95%": "1500",
        "Failure Count": "0",
    },
]


def test_the_table_lists_each_page_then_the_total():
    assert checks.stats_table(STATS).splitlines() == [
        "Page             Requests  Req/s  Median ms  95% ms  Failures",
        "---------------  --------  -----  ---------  ------  --------",
        "catalogue (GET)        20    1.7        120    1500         0",
        "RSVP (POST)            10    0.8         46     170         1",
        "Aggregated             30    2.5         80     900         1",
    ]


def test_the_run_fails_on_a_server_error_a_lost_write_or_an_overbooked_session():
    clean = {
        "lost": [],
        "overbooked": [],
        "writes": WRITES.counts(),
        "sessions_with_seats": 4,
        "full_sessions": 1,
    }
    assert [passed for _, passed, _ in checks.verdicts(clean, 0)] == [True] * 3
    assert [passed for _, passed, _ in checks.verdicts(clean, 2)] == [
        False,
        True,
        True,
    ]
    broken = clean | {"lost": ["x"], "overbooked": ["y"]}
    verdicts = checks.verdicts(broken, 0)
    assert [passed for _, passed, _ in verdicts] == [True, False, False]
    assert verdicts[1][2].startswith("1 missing of 2 RSVPs, 1 attendance marks")
    assert verdicts[2][2] == "1 of 4 sessions with seats over their limit (1 full)"


def test_with_faults_on_a_503_is_what_the_database_drill_wants_and_a_500_is_not():
    errors = [
        {"kind": "server_error", "name": "catalogue", "status": 503},
        {"kind": "server_error", "name": "RSVP", "status": 503},
        {"kind": "server_error", "name": "RSVP", "status": 500},
    ]
    assert checks.unexpected_server_errors(errors, faults_on=False) == 3
    assert checks.unexpected_server_errors(errors, faults_on=True) == 1
    assert checks.unexpected_server_errors(errors[:2], faults_on=True) == 0


@pytest.mark.parametrize(
    ("duration", "expected"), [("20s", 20), ("2m", 120), ("1m30s", 90), ("45", 45)]
)
def test_run_times_are_read_as_locust_reads_them(duration, expected):
    assert driver.seconds(duration) == expected


def test_a_run_time_locust_would_not_understand_is_refused_clearly():
    with pytest.raises(SystemExit, match="LOADTEST_TIME='2 minutes'"):
        driver.seconds("2 minutes")


CACHE = "redis://127.0.0.1:6390/0?key_prefix=loadtest"


def test_only_this_machine_is_load_tested(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 50)
    monkeypatch.setenv("LOADTEST_DATABASE_URL", "postgres://postgres@10.0.0.5/db")
    with pytest.raises(SystemExit, match="only runs on this machine"):
        driver.environment(8100, CACHE)
    monkeypatch.delenv("LOADTEST_DATABASE_URL")
    env = driver.environment(8100, CACHE)
    assert env["DATABASE_URL"].endswith("/loadtest")
    assert env["HOST"] == "127.0.0.1"
    assert env["PORT"] == "8100"
    assert env["CACHE_URL"] == CACHE
    with pytest.raises(SystemExit, match="only runs on this machine"):
        driver.environment(8100, "redis://cache.example.org:6379/0")


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/loadtest?hostaddr=10.0.0.5",
        "postgres://postgres@127.0.0.1:5432/loadtest?host=db.example.org",
        "postgres://postgres@127.0.0.1:5432/learning_commons",
        "postgres://postgres@127.0.0.1:5432/test",
    ],
)
def test_only_its_own_database_on_this_machine_is_dropped(monkeypatch, url):
    """libpq takes a host from the query string over the address's own."""
    monkeypatch.setenv("SECRET_KEY", "k" * 50)
    monkeypatch.setenv("LOADTEST_DATABASE_URL", url)
    with pytest.raises(SystemExit, match=r"this machine|name it loadtest"):
        driver.environment(8100, CACHE)
    monkeypatch.setenv(
        "LOADTEST_DATABASE_URL", url.split("?")[0].rsplit("/", 1)[0] + "/loadtest_b"
    )
    assert driver.environment(8100, CACHE)["DATABASE_URL"].endswith("/loadtest_b")


def test_the_guide_names_every_setting_of_the_load_test():
    missing = undocumented(
        settings.BASE_DIR / "deploy" / "loadtest" / "driver.py",
        r"\"(LOADTEST_\w+)\"",
        {"LOADTEST_USERS", "LOADTEST_TIME", "LOADTEST_FAULTS"},
    )
    assert missing == [], f"docs/deploy.md does not mention {missing}"


def drill_of(steps: list) -> faults.Drill:
    drill = faults.Drill(
        server_pid=0,
        cache=None,
        database_url="postgres://postgres@127.0.0.1:5432/loadtest",
        page="http://127.0.0.1:1/",
        run_seconds=0,
    )
    drill.steps = steps
    return drill


def test_the_faults_run_one_after_another_and_each_is_reported():
    drill = drill_of(
        [
            lambda: faults.Fault("first", True, "came back"),
            lambda: faults.Fault("second", False, "did not"),
        ]
    )
    drill.run()
    assert [(fault.name, fault.passed) for fault in drill.results] == [
        ("first", True),
        ("second", False),
    ]


def test_no_fault_starts_once_the_run_is_over():
    drill = drill_of([lambda: faults.Fault("late", True, "")])
    drill.stopping.set()
    drill.run()
    assert drill.results == []


def test_redis_is_restarted_only_when_the_load_test_runs_its_own(tmp_path):
    shared = faults.Drill(
        server_pid=0, cache=None, database_url="", page="", run_seconds=0
    )
    own = faults.Drill(
        server_pid=0,
        cache=faults.Redis(port=1, folder=tmp_path),
        database_url="",
        page="",
        run_seconds=0,
    )
    assert (len(shared.steps), len(own.steps)) == (3, 4)


def test_a_killed_worker_not_yet_reaped_is_no_worker():
    """A zombie has no command line left: psutil raises for it, the drill's
    listing of workers must not."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    zombie = psutil.Process(child.pid)
    while zombie.status() != psutil.STATUS_ZOMBIE:
        time.sleep(0.01)
    with pytest.raises(psutil.ZombieProcess):
        zombie.cmdline()
    assert faults.command_line(zombie) == ""
    child.wait()
