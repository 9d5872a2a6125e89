"""The API's course library: the public courses, as the course library page
lists them in the request's language, and each one's modules and lessons
(their words; a lesson is read on its page)."""

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from wagtail.models import Locale

from api.auth import ANYONE
from api.shapes import LIST_PROBLEMS, Pages, ShapedPages, answers
from content.listings import public
from content.models import CoursePage

router = Router(tags=["public"], auth=ANYONE)


class CourseSummaryOut(Schema):
    id: int
    title: str
    intro: str
    hours: float | None = Field(description="Roughly, for the whole course.")
    prerequisites: list[int] = Field(
        description="The courses (ids) whose certificate a person needs before "
        "joining a group using this one."
    )
    url: str


def _summary(request: HttpRequest, course: CoursePage) -> dict:
    return {
        "id": course.pk,
        "title": course.title,
        "intro": course.intro,
        "hours": None if course.hours is None else float(course.hours),
        "prerequisites": [found.pk for found in course.prerequisites.all()],
        "url": course.get_full_url(request),
    }


def _public_courses():
    """Public courses, each with its public prerequisites (a draft or
    private one is not named: its id would tell it exists)."""
    return public(CoursePage.objects.live()).prefetch_related(
        Prefetch("prerequisites", public(CoursePage.objects.live()))
    )


@router.get(
    "/courses",
    response=answers(list[CourseSummaryOut], *LIST_PROBLEMS),
)
@paginate(Pages)
def courses(request: HttpRequest):
    """The public courses, by title, as the course library page lists them
    in the language of the request (`Accept-Language`)."""
    found = _public_courses().filter(locale=Locale.get_active()).order_by("title", "pk")
    return ShapedPages(
        found, lambda page: [_summary(request, course) for course in page]
    )


class LessonSummaryOut(Schema):
    id: int
    title: str
    minutes: int | None = Field(description="About how long it takes.")
    url: str


class ModuleSummaryOut(Schema):
    id: int
    title: str
    lessons: list[LessonSummaryOut]


class CourseOutlineOut(CourseSummaryOut):
    modules: list[ModuleSummaryOut]


@router.get(
    "/courses/{course_id}",
    response=answers(CourseOutlineOut, 404),
)
def course(request: HttpRequest, course_id: int):
    """A public course with its modules and lessons in order (those in a
    private section of the site left out). A group's members follow it
    with their progress at `/groups/{id}/course`."""
    found = get_object_or_404(_public_courses(), pk=course_id)
    shown = set(public(found.lessons()).values_list("pk", flat=True)) | set(
        public(found.modules_only()).values_list("pk", flat=True)
    )
    return CourseOutlineOut(
        **_summary(request, found),
        modules=[
            ModuleSummaryOut(
                id=module.pk,
                title=module.title,
                lessons=[
                    LessonSummaryOut(
                        id=lesson.pk,
                        title=lesson.title,
                        minutes=lesson.minutes,
                        url=lesson.get_full_url(request),
                    )
                    for lesson in module.lesson_list
                    if lesson.pk in shown
                ],
            )
            for module in found.modules()
            if module.pk in shown
        ],
    )
