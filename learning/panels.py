"""Learning's panel on the participant's "My learning" page: their courses,
how far they are, their certificates. Shown after "My groups" through
cohorts.panels.group_panels."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import CohortPage
from content.models import CoursePage, LessonPage
from content.translation import show_in_active_language
from learning.models import Certificate, LessonProgress
from lms.hookspecs import Panel


def my_courses(user: AbstractBaseUser, cohorts: list[CohortPage]) -> list[Panel]:
    """The courses of the person's current groups, with their progress."""
    with_course = [cohort for cohort in cohorts if cohort.course_id]
    if not with_course:
        return []
    done = dict(
        LessonProgress.objects.filter(
            user=user,
            cohort__in=with_course,
            status=LessonProgress.Status.COMPLETED,
        )
        .values("cohort")
        .annotate(n=Count("pk"))
        .values_list("cohort", "n")
    )
    courses = {cohort.course_id for cohort in with_course}
    # Course paths from the cohorts already loaded would need the courses; one
    # query for their paths and titles, one for their titles in the page's
    # language (as the course's own pages show them), one for all their lessons.
    found = list(
        CoursePage.objects.filter(pk__in=courses).only(
            "pk", "path", "title", "translation_key", "locale"
        )
    )
    show_in_active_language(found)
    paths = {course.pk: course.path for course in found}
    titles = {course.pk: course.title for course in found}
    lessons = list(
        LessonPage.objects.live()
        .filter(Q.create([("path__startswith", path) for path in paths.values()], "OR"))
        .values_list("path", flat=True)
    )
    certificates = {
        certificate.cohort_id: certificate
        for certificate in Certificate.objects.filter(user=user, cohort__in=with_course)
    }
    rows = [
        {
            "cohort": cohort,
            "course_title": titles.get(cohort.course_id, cohort.title),
            "done": done.get(cohort.pk, 0),
            "total": sum(
                path.startswith(paths.get(cohort.course_id, "-")) for path in lessons
            ),
            "certificate": certificates.get(cohort.pk),
        }
        for cohort in with_course
    ]
    return [Panel(_("My courses"), "learning/panels/my_courses.html", {"rows": rows})]
