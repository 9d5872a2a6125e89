"""Learning paths and prerequisites: what a person may take next."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cohorts.models import (
    CURRENT_MEMBER_STATUSES,
    CohortPage,
    LearningPathPage,
    LearningPathStep,
    Membership,
)
from content.models import CoursePage
from content.translation import in_locale
from learning.models import Certificate


@dataclass
class PathStep:
    """A course in a path as this person stands with it."""

    step: LearningPathStep
    course: CoursePage  # the step's course in the path's language, to show
    state: str  # "done", "started", "ready" or "locked"
    missing: list[str] = field(default_factory=list)  # courses to complete first
    groups: list[CohortPage] = field(default_factory=list)  # open ones to join


def completed_courses(user: AbstractBaseUser, course_ids) -> set[int]:
    """The courses among these the person holds a certificate for."""
    if not user.is_authenticated:
        return set()
    return set(
        Certificate.objects.filter(user=user, course__in=course_ids).values_list(
            "course", flat=True
        )
    )


def missing_prerequisites(user: AbstractBaseUser, course: CoursePage) -> list[str]:
    """Titles of the courses to complete before joining a group using `course`,
    in the language of `course`."""
    needed = list(course.prerequisites.all())
    done = completed_courses(user, [first.pk for first in needed]) if needed else set()
    shown = in_locale(needed, course.locale_id) if needed else {}
    return [shown[first.pk].title for first in needed if first.pk not in done]


def first_complete_message(missing: list[str]) -> str:
    return _(
        "This group builds on other courses. Complete these first: %(courses)s"
    ) % {"courses": ", ".join(missing)}


def prerequisites_unmet(user: AbstractBaseUser, cohort: CohortPage) -> str:
    """What to complete before joining `cohort` (a requirement of joining,
    cohorts.membership.join_requirements), or "" when nothing is missing."""
    missing = missing_prerequisites(user, cohort.course) if cohort.course else []
    return first_complete_message(missing) if missing else ""


def path_steps(path: LearningPathPage, user: AbstractBaseUser) -> list[PathStep]:
    """Each course of the path with the person's state and the groups open to
    join; the same number of queries whatever the path's length."""
    steps = list(path.steps.select_related("course").order_by("sort_order"))
    course_ids = [step.course_id for step in steps]
    needs = defaultdict(list)
    links = CoursePage.prerequisites.through.objects.filter(
        from_coursepage__in=course_ids
    ).select_related("to_coursepage")
    for link in links:
        needs[link.from_coursepage_id].append(link.to_coursepage)
    done = completed_courses(
        user,
        {*course_ids, *(first.pk for firsts in needs.values() for first in firsts)},
    )
    started = set()
    if user.is_authenticated:
        started = set(
            Membership.objects.filter(
                user=user,
                status__in=CURRENT_MEMBER_STATUSES,
                cohort__course__in=course_ids,
            ).values_list("cohort__course", flat=True)
        )
    groups = defaultdict(list)
    for cohort in (
        CohortPage.objects.live()
        .filter(course__in=course_ids, signup_open=True)
        .order_by("title")
    ):
        groups[cohort.course_id].append(cohort)
    shown = in_locale(
        [
            *(step.course for step in steps),
            *(first for firsts in needs.values() for first in firsts),
        ],
        path.locale_id,
    )
    result = []
    for step in steps:
        missing = [
            shown[first.pk].title
            for first in needs[step.course_id]
            if first.pk not in done
        ]
        if step.course_id in done:
            state = "done"
        elif step.course_id in started:
            state = "started"
        else:
            state = "locked" if missing else "ready"
        result.append(
            PathStep(
                step, shown[step.course_id], state, missing, groups[step.course_id]
            )
        )
    return result


def path_context(path: LearningPathPage, request: HttpRequest) -> dict:
    """The path page's `steps` (cohorts.models.path_contexts)."""
    return {"steps": path_steps(path, request.user)}
