"""The load test's verdicts, apart from any server or database: what locust
was told succeeded against what the database holds, seats against answers
"going", and the table of pages printed at the end (tests/test_loadtest.py).

Locust appends one JSON object per line to the writes file for each write
answered with success, and one for each server error:

    {"kind": "rsvp", "session": 7, "user": 12, "answer": "going"}
    {"kind": "attendance", "session": 3, "user": 12, "status": "late"}
    {"kind": "completion", "user": 12, "cohort": 40, "lesson": 9}
    {"kind": "server_error", "name": "RSVP", "status": 502}

Each simulated person is a different generated person, and makes one
request at a time, so the last answer recorded per (session, person) is the
one the database must hold.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# The statuses a session's row may have after each answer: "going" beyond
# the seats is the waiting list, and the waiting list is promoted to going.
RSVP_OUTCOMES = {
    "going": {"going", "waitlisted"},
    "maybe": {"maybe"},
    "declined": {"declined"},
}


@dataclass
class Writes:
    rsvps: dict[tuple[int, int], str] = field(default_factory=dict)
    attendance: dict[tuple[int, int], str] = field(default_factory=dict)
    completions: set[tuple[int, int, int]] = field(default_factory=set)
    server_errors: list[dict] = field(default_factory=list)
    answered: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> "Writes":
        writes = cls()
        for line in lines:
            if not line.strip():
                continue
            event = json.loads(line)
            kind = event["kind"]
            writes.answered[kind] = writes.answered.get(kind, 0) + 1
            if kind == "rsvp":
                writes.rsvps[event["session"], event["user"]] = event["answer"]
            elif kind == "attendance":
                writes.attendance[event["session"], event["user"]] = event["status"]
            elif kind == "completion":
                writes.completions.add(
                    (event["user"], event["cohort"], event["lesson"])
                )
            elif kind == "server_error":
                writes.server_errors.append(event)
            else:
                raise ValueError(f"Unknown kind of write: {kind!r}")
        return writes

    @classmethod
    def read(cls, path: Path) -> "Writes":
        if not path.exists():
            return cls()
        with path.open(encoding="utf-8") as lines:
            return cls.from_lines(lines)

    def counts(self) -> dict[str, int]:
        """Successful writes answered, and the distinct rows they touch."""
        return {
            "rsvp answers": self.answered.get("rsvp", 0),
            "attendance marks": self.answered.get("attendance", 0),
            "lesson completions": self.answered.get("completion", 0),
            "rsvp rows": len(self.rsvps),
            "attendance rows": len(self.attendance),
            "completion rows": len(self.completions),
        }


def lost_writes(
    writes: Writes,
    rsvps: dict[tuple[int, int], str],
    attendance: dict[tuple[int, int], str],
    completed: set[tuple[int, int, int]],
) -> list[str]:
    """Each write answered with success that the database does not hold."""
    lost = []
    for (session, user), answer in sorted(writes.rsvps.items()):
        status = rsvps.get((session, user))
        if status not in RSVP_OUTCOMES[answer]:
            lost.append(
                f"RSVP session {session} user {user}: answered {answer}, "
                f"database has {status or 'nothing'}"
            )
    for (session, user), mark in sorted(writes.attendance.items()):
        status = attendance.get((session, user))
        if status != mark:
            lost.append(
                f"attendance session {session} user {user}: marked {mark}, "
                f"database has {status or 'nothing'}"
            )
    for user, cohort, lesson in sorted(writes.completions - completed):
        lost.append(
            f"completion user {user} group {cohort} lesson {lesson}: not completed"
        )
    return lost


def overbooked_sessions(seats: Iterable[tuple[int, int, int]]) -> list[str]:
    """(session, capacity, going) rows with more going than seats."""
    return [
        f"session {session}: {going} going, {capacity} seats"
        for session, capacity, going in seats
        if going > capacity
    ]


# The columns printed, named as in locust's CSV files (locustfile.page_row).
COLUMNS = [
    ("Page", "Name"),
    ("Requests", "Request Count"),
    ("Req/s", "Requests/s"),
    ("Median ms", "50%"),
    ("95% ms", "95%"),
    ("Failures", "Failure Count"),
]


def stats_table(rows: list[dict[str, str]]) -> str:
    """Locust's rows as a fixed-width table by page name, the total
    ("Aggregated") last."""
    cells = []
    for row in rows:
        line = []
        for _, key in COLUMNS:
            value = row[key]
            if key == "Requests/s":
                value = f"{float(value):.1f}"
            elif key == "Name" and row.get("Type"):
                value = f"{value} ({row['Type']})"
            line.append(value)
        cells.append(line)
    cells.sort(key=lambda line: (line[0] == "Aggregated", line[0].lower()))
    header = [title for title, _ in COLUMNS]
    widths = [
        max(len(line[number]) for line in [header, *cells])
        for number in range(len(header))
    ]

    def render(line: list[str]) -> str:
        first = line[0].ljust(widths[0])
        rest = [
            value.rjust(width)
            for value, width in zip(line[1:], widths[1:], strict=True)
        ]
        return "  ".join([first, *rest])

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(header), rule, *map(render, cells)])


# What the site answers while its database refuses connections (lms/outage.py).
DATABASE_AWAY = 503


def unexpected_server_errors(errors: list[dict], faults_on: bool) -> int:
    """The server errors held against the run. With faults on, the database
    is refused for a while on purpose, and a 503 is the answer wanted then;
    a 500 never is."""
    return sum(
        1 for error in errors if not (faults_on and error["status"] == DATABASE_AWAY)
    )


def verdicts(result: dict, server_errors: int) -> list[tuple[str, bool, str]]:
    """(check, passed, detail) for the three promises of the load test."""
    lost = result["lost"]
    overbooked = result["overbooked"]
    writes = result["writes"]
    return [
        (
            "no server errors (5xx)",
            server_errors == 0,
            f"{server_errors} responses with status 500 or more",
        ),
        (
            "no lost writes",
            not lost,
            f"{len(lost)} missing of {writes['rsvp rows']} RSVPs, "
            f"{writes['attendance rows']} attendance marks and "
            f"{writes['completion rows']} lesson completions answered with success",
        ),
        (
            "seat limits intact",
            not overbooked,
            f"{len(overbooked)} of {result['sessions_with_seats']} sessions with "
            f"seats over their limit ({result['full_sessions']} full)",
        ),
    ]
