"""A person's course in a group: its modules and lessons, what is open, their
progress; marking a lesson done; their certificates. The same functions as
the course's pages (`learning.progress`), for the group's members."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from api.auth import PERSON
from api.shapes import LIST_PROBLEMS, PERSON_PROBLEMS, Pages, ShapedPages, answers
from cohorts.models import CohortPage
from cohorts.permissions import insider, membership, viewable_groups
from learning import progress
from learning.models import Certificate

router = Router(tags=["a person's own data"], auth=PERSON)


class LessonOut(Schema):
    id: int
    title: str
    open: bool
    completed_at: datetime | None


class ModuleOut(Schema):
    id: int
    title: str
    opens_at: datetime | None = Field(description="None: open from the start.")
    open: bool
    lessons: list[LessonOut]


class CourseOut(Schema):
    group_id: int
    course_id: int
    title: str
    lessons: int
    completed: int
    modules: list[ModuleOut]


def _group_with_course(request: HttpRequest, group_id: int) -> CohortPage:
    """The group, when the caller may see it (else 404) and is in it (else
    403), and it has a course (else 404)."""
    group = get_object_or_404(
        viewable_groups(request.user, request).select_related("course"), pk=group_id
    )
    if not insider(request.user, membership(request.user, group)):
        raise PermissionDenied(_("The course is for the group's members."))
    if group.course is None or not group.course.live:
        raise HttpError(404, _("This group has no course."))
    return group


@router.get(
    "/groups/{group_id}/course",
    response=answers(CourseOut, *PERSON_PROBLEMS, 404),
)
def group_course(request: HttpRequest, group_id: int):
    """The group's course as its members work through it: modules in order,
    each open or from when it opens, each lesson with when the person
    completed it (in the language of the request, where translated)."""
    group = _group_with_course(request, group_id)
    outline = progress.course_outline(request.user, group)
    return CourseOut(
        group_id=group.pk,
        course_id=group.course_id,
        title=group.course.title,
        lessons=len(outline.lessons),
        completed=outline.completed,
        modules=[
            ModuleOut(
                id=module.pk,
                title=module.title,
                opens_at=module.opens_at,
                open=module.is_open,
                lessons=[
                    LessonOut(
                        id=lesson.pk,
                        title=lesson.title,
                        open=module.is_open,
                        completed_at=lesson.progress and lesson.progress.completed_at,
                    )
                    for lesson in module.lesson_list
                ],
            )
            for module in outline.modules
        ],
    )


class LessonDone(Schema):
    lesson_id: int
    completed_at: datetime
    first_time: bool = Field(description="False: it was done before.")


@router.put(
    "/groups/{group_id}/lessons/{lesson_id}/done",
    response=answers(LessonDone, *PERSON_PROBLEMS, 404),
)
def lesson_done(request: HttpRequest, group_id: int, lesson_id: int):
    """Mark a lesson of the group's course done, as its page's button does
    (once open; again: nothing changes). Completing the last one issues the
    certificate. Needs a token that may write."""
    group = _group_with_course(request, group_id)
    lesson = progress.open_lesson(group, list(group.course.lessons()), lesson_id)
    if lesson is None:
        raise HttpError(404, _("This lesson is not open in this group (yet)."))
    first_time = progress.complete(request.user, group, lesson)
    found = progress.progress_on(request.user, group, lesson)
    return LessonDone(
        lesson_id=lesson.pk, completed_at=found.completed_at, first_time=first_time
    )


class CertificateOut(Schema):
    code: str
    name: str
    course: str
    group: str
    issued_at: datetime
    verify_url: str = Field(description="The public page that verifies it.")
    pdf_url: str
    badge_url: str | None = Field(description="As an Open Badge (JSON).")


def _certificate(request: HttpRequest, found: Certificate) -> CertificateOut:
    def address(name: str) -> str:
        return request.build_absolute_uri(reverse(name, args=[found.code]))

    return CertificateOut(
        code=found.code,
        name=found.name,
        course=found.course_title,
        group=found.cohort_title,
        issued_at=found.issued_at,
        verify_url=address("cohorts:certificate"),
        pdf_url=address("cohorts:certificate_pdf"),
        badge_url=address("badges:assertion") if found.course_id else None,
    )


@router.get(
    "/me/certificates",
    response=answers(list[CertificateOut], *PERSON_PROBLEMS, *LIST_PROBLEMS),
)
@paginate(Pages)
def my_certificates(request: HttpRequest):
    """The person's certificates, the latest first."""
    mine = Certificate.objects.filter(user=request.user).order_by("-issued_at", "-pk")
    return ShapedPages(mine, lambda page: [_certificate(request, c) for c in page])
