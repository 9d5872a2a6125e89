"""The attendance register: which sessions it is taken for, and the grid of
one row per participant, one column per past session."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from cohorts.models import CohortPage, Membership
from scheduling.models import Attendance, Session

PRESENT = {Attendance.Status.PRESENT, Attendance.Status.LATE}
SESSIONS_SHOWN = 52


@dataclass(frozen=True)
class MemberRow:
    name: str
    cells: list[str]
    attended: int


@dataclass(frozen=True)
class AttendanceGrid:
    sessions: list[Session]
    rows: list[MemberRow]
    attended_per_session: list[int]


def register_open() -> Q:
    """Sessions attendance is taken for: started, not cancelled. The register
    takes only these and the grid shows them, so what is saved is seen."""
    return Q(starts_at__lte=timezone.now(), status=Session.Status.SCHEDULED)


def attendance_grid(cohort: CohortPage) -> AttendanceGrid:
    sessions = list(
        cohort.sessions.filter(register_open()).order_by("-starts_at")[:SESSIONS_SHOWN]
    )[::-1]
    members = list(
        Membership.objects.filter(cohort=cohort, role=Membership.Role.PARTICIPANT)
        .exclude(status=Membership.Status.WAITLISTED)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
    recorded = {
        (session_id, user_id): status
        for session_id, user_id, status in Attendance.objects.filter(
            session__in=sessions
        ).values_list("session_id", "user_id", "status")
    }
    per_session = Counter()
    rows = []
    for member in members:
        cells = [recorded.get((s.pk, member.user_id), "") for s in sessions]
        for session, cell in zip(sessions, cells, strict=True):
            if cell in PRESENT:
                per_session[session.pk] += 1
        rows.append(
            MemberRow(
                name=member.user.get_full_name() or member.user.email,
                cells=cells,
                attended=sum(cell in PRESENT for cell in cells),
            )
        )
    return AttendanceGrid(sessions, rows, [per_session[s.pk] for s in sessions])
