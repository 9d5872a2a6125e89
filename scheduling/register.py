"""The attendance register: which sessions it is taken for, and the grid of
one row per participant, one column per past session."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership
from lms.events import AttendanceRecorded, emit
from scheduling.models import Attendance, Session
from scheduling.signals import attendance_recorded

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


def is_register_open(session: Session) -> bool:
    return Session.objects.filter(register_open(), pk=session.pk).exists()


def register_members(session: Session) -> list[Membership]:
    """The participants the register lists for a session: its group's
    current ones, by name."""
    return list(
        Membership.objects.filter(
            cohort_id=session.cohort_id,
            role=Membership.Role.PARTICIPANT,
            status__in=CURRENT_MEMBER_STATUSES,
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email", "pk")
    )


def record_attendance(
    session: Session, statuses: dict[int, str], recorded_by
) -> list[Attendance]:
    """Save each person's status (`statuses` by user id, each a member the
    register lists and a status of `Attendance.Status`: the caller checks)
    in one upsert: saving twice, or two facilitators saving at once, leaves
    one row each. Tells the rest of the site once the transaction commits."""
    records = [
        Attendance(
            session=session, user_id=user_id, status=status, recorded_by=recorded_by
        )
        for user_id, status in statuses.items()
    ]
    with transaction.atomic():
        Attendance.objects.bulk_create(
            records,
            update_conflicts=True,
            unique_fields=["session", "user"],
            update_fields=["status", "recorded_by", "recorded_at"],
        )
        attendance_recorded.send(sender=Session, session=session)
        for record in records:
            emit(
                AttendanceRecorded(
                    session_id=session.pk, user_id=record.user_id, status=record.status
                )
            )
    return records


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
