"""The routes of those who run a group: its members as the members page shows
them, and the attendance register of its sessions (read, and saved as an
upsert: sending the same records twice changes nothing).

A token acts here with its owner's staff rights only when made with them
(`api.auth`); without, its owner sees the members as a member does and may
not take attendance."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from api.auth import PERSON, check_staff_rights, staff_rights
from api.public import viewable_session
from api.shapes import LIST_PROBLEMS, PERSON_PROBLEMS, Pages, answers
from cohorts.group_pages import current_members, member_as_seen
from cohorts.models import CohortPage
from cohorts.permissions import facilitates, insider, membership, viewable_groups
from insights import dashboard
from scheduling.models import Session
from scheduling.register import is_register_open, record_attendance, register_members

router = Router(tags=["running a group"], auth=PERSON)

# The most records one request may send (a register far larger than any group).
MAX_RECORDS = 1000


class MemberOut(Schema):
    person_id: int | None = Field(
        description="Only to those running the group (for the attendance register)."
    )
    name: str
    role: Literal["participant", "facilitator", "lead"]
    email: str | None = Field(description="Only to those running the group.")


@router.get(
    "/groups/{group_id}/members",
    response=answers(list[MemberOut], *PERSON_PROBLEMS, 404, *LIST_PROBLEMS),
)
@paginate(Pages)
def group_members(request: HttpRequest, group_id: int):
    """The group's current members as its members page shows them: to its
    members, names as the group's privacy allows (a youth group's members
    by first name); to those running it (with staff rights), full names,
    e-mail addresses and each person's id. Others may not (403)."""
    group = get_object_or_404(
        viewable_groups(request.user, request).specific(), pk=group_id
    )
    found = membership(request.user, group)
    if not insider(request.user, found):
        raise PermissionDenied(_("Only the group's members see who is in it."))
    running = facilitates(request.user, found) and staff_rights(request)
    return [
        MemberOut(
            person_id=member.user_id if running else None,
            email=shown["email"] or None,
            name=shown["name"],
            role=member.role,
        )
        for member in current_members(group)
        for shown in [member_as_seen(member, group, running)]
    ]


class FlaggedPersonOut(Schema):
    person_id: int
    name: str


class FlaggedOut(Schema):
    total: int
    first: list[FlaggedPersonOut] = Field(
        description=f"The first {dashboard.WARNINGS_SHOWN}, by name."
    )


class StandingOut(Schema):
    group_id: int
    participants: int
    lessons: int = Field(description="In the group's course (0: none).")
    median_done: int = Field(description="Lessons completed, the median.")
    missed_last_two: FlaggedOut = Field(
        description="Absent from both of the last two sessions held."
    )
    quiet: FlaggedOut = Field(
        description=f"No lesson work, attendance or plugin activity in "
        f"{dashboard.QUIET_DAYS} days (joined before then)."
    )
    behind: FlaggedOut = Field(description="Fewer lessons done than the median.")
    worked_out_at: datetime = Field(
        description=f"Kept up to {dashboard.STANDING_MINUTES} minutes; a change "
        "to members, sessions or attendance works it out again at once."
    )


@router.get(
    "/groups/{group_id}/standing",
    response=answers(StandingOut, *PERSON_PROBLEMS, 404),
)
def group_standing(request: HttpRequest, group_id: int):
    """Who in the group may need a word, as its facilitator dashboard's
    warning lists show them: participants absent from the last two
    sessions, quiet for two weeks, behind the median on the course. For
    those running the group (a token with staff rights)."""
    group = _group_run_by_caller(request, group_id)
    standing = dashboard.group_standing(group)

    def shaped(found: dashboard.FlaggedMembers) -> FlaggedOut:
        return FlaggedOut(
            total=found.total,
            first=[
                FlaggedPersonOut(
                    person_id=member.user_id, name=dashboard.staff_name(member)
                )
                for member in found.members
            ],
        )

    missed_two, quiet, behind = dashboard.warnings(standing)
    return StandingOut(
        group_id=group.pk,
        participants=len(standing.member_ids),
        lessons=dashboard.course_lesson_count(group),
        median_done=standing.median_done,
        missed_last_two=shaped(missed_two),
        quiet=shaped(quiet),
        behind=shaped(behind),
        worked_out_at=standing.worked_out_at,
    )


def _check_runs(request: HttpRequest, group: CohortPage, refusal: str) -> None:
    """403 with `refusal` unless the caller runs `group` with their staff
    rights."""
    check_staff_rights(request)
    if not facilitates(request.user, membership(request.user, group)):
        raise PermissionDenied(refusal)


def _group_run_by_caller(request: HttpRequest, group_id: int) -> CohortPage:
    """A group the caller may see (else 404) and runs with their staff
    rights (else 403)."""
    group = get_object_or_404(viewable_groups(request.user, request), pk=group_id)
    _check_runs(request, group, _("Only this group's facilitators see its standing."))
    return group


def _session_run_by_caller(request: HttpRequest, session_id: int) -> Session:
    """A session of a group the caller may see (else 404) and runs with
    their staff rights (else 403)."""
    session = viewable_session(request, session_id)
    _check_runs(
        request,
        session.cohort,
        _("Only this group's facilitators take attendance."),
    )
    return session


class AttendanceOut(Schema):
    person_id: int
    name: str
    status: Literal["present", "late", "absent"] | None = Field(
        description="None: not recorded yet."
    )


@router.get(
    "/sessions/{session_id}/attendance",
    response=answers(list[AttendanceOut], *PERSON_PROBLEMS, 404, *LIST_PROBLEMS),
)
@paginate(Pages)
def session_attendance(request: HttpRequest, session_id: int):
    """The session's register: each current participant of its group, by
    name, with what was recorded for them."""
    session = _session_run_by_caller(request, session_id)
    recorded = dict(session.attendance.values_list("user_id", "status"))
    return [
        AttendanceOut(
            person_id=member.user_id,
            name=member.user.get_full_name() or member.user.email,
            status=recorded.get(member.user_id),
        )
        for member in register_members(session)
    ]


class AttendanceRecordIn(Schema):
    person_id: int
    status: Literal["present", "late", "absent"]


class AttendanceIn(Schema):
    records: list[AttendanceRecordIn] = Field(max_length=MAX_RECORDS)


class AttendanceSaved(Schema):
    session_id: int
    saved: int


@router.put(
    "/sessions/{session_id}/attendance",
    response=answers(AttendanceSaved, *PERSON_PROBLEMS, 404, 409, 422),
)
def save_attendance(request: HttpRequest, session_id: int, given: AttendanceIn):
    """Record attendance for some or all of the register: each record a
    participant of the register (`person_id` from the register or the
    members list) and present, late or absent. Those not sent keep what
    they had. Saved once the session has started and unless it was
    cancelled (else 409); nothing is saved if any record is refused (422,
    naming it). Needs a token that may write, made with staff rights."""
    session = _session_run_by_caller(request, session_id)
    if not is_register_open(session):
        raise HttpError(
            409,
            _(
                "Attendance is taken once the session has started, and not "
                "for a cancelled session. Nothing was saved."
            ),
        )
    listed = {member.user_id for member in register_members(session)}
    refused = [
        {
            "loc": ["body", "given", "records", index, "person_id"],
            "msg": _("Not a participant of this group's register."),
            "type": "not_in_register",
        }
        for index, record in enumerate(given.records)
        if record.person_id not in listed
    ]
    if refused:
        raise ValidationError(refused)
    statuses = {record.person_id: record.status for record in given.records}
    record_attendance(session, statuses, request.user)
    return AttendanceSaved(session_id=session.pk, saved=len(statuses))
