"""Working through a cohort's course: which lessons are open, answers, completion.

Every change locks the person's progress row for the lesson first, so two
requests at once (two tabs, a double click) never lose each other's answers
and a lesson once completed stays completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import CohortPage
from content.blocks import grade_quiz
from content.models import LessonPage
from content.translation import show_in_active_language
from learning.certificates import issue_if_complete
from learning.forms import PositionsAnswerForm, ReflectionAnswerForm
from learning.models import LessonProgress
from lms.events import LessonCompleted, emit
from lms.forms import first_error
from scheduling.models import Session


def module_openings(cohort: CohortPage, modules: list) -> dict[int, datetime | None]:
    """When each of the course's `modules` opens in the cohort (None: open)."""
    ids = [module.pk for module in modules]
    if cohort.release == CohortPage.Release.BY_SESSION:
        starts = list(
            cohort.sessions.filter(status=Session.Status.SCHEDULED)
            .order_by("starts_at")
            .values_list("starts_at", flat=True)
        )
        if not starts:
            return dict.fromkeys(ids)
        # Modules beyond the number of sessions open with the last session.
        return {
            module: starts[min(number, len(starts) - 1)]
            for number, module in enumerate(ids)
        }
    if cohort.release == CohortPage.Release.BY_DATE:
        dates = dict(cohort.module_releases.values_list("module_id", "opens_at"))
        return {module: dates.get(module) for module in ids}
    return dict.fromkeys(ids)


def is_open(opens_at: datetime | None) -> bool:
    return opens_at is None or opens_at <= timezone.now()


def open_lesson(cohort: CohortPage, lessons: list, lesson_id: int) -> LessonPage | None:
    """The lesson if it is in `lessons` (the course's) and its module is open."""
    lesson = next((each for each in lessons if each.pk == lesson_id), None)
    if lesson is None or cohort.release == CohortPage.Release.AT_ONCE:
        return lesson
    modules = list(cohort.course.modules_only())
    module = next(m for m in modules if lesson.path.startswith(m.path))
    return lesson if is_open(module_openings(cohort, modules)[module.pk]) else None


def progress_by_lesson(user: AbstractBaseUser, cohort: CohortPage) -> dict:
    return {
        progress.lesson_id: progress
        for progress in LessonProgress.objects.filter(user=user, cohort=cohort)
    }


@dataclass
class CourseOutline:
    modules: list  # each with `opens_at`, `is_open` and its `lesson_list`
    lessons: list  # each with the person's `progress` (None: not begun)
    completed: int


def course_outline(user: AbstractBaseUser, cohort: CohortPage) -> CourseOutline:
    """The group's course as this person works through it, as its page and
    the API show it: the modules in order, each with when it opens, each
    lesson with the person's progress, in the active language where
    translated; and how many lessons they completed."""
    done = progress_by_lesson(user, cohort)
    modules = cohort.course.modules()
    openings = module_openings(cohort, modules)
    for module in modules:
        module.opens_at = openings.get(module.pk)
        module.is_open = is_open(module.opens_at)
        for lesson in module.lesson_list:
            lesson.progress = done.get(lesson.pk)
    lessons = [lesson for module in modules for lesson in module.lesson_list]
    show_in_active_language([cohort.course, *modules, *lessons])
    completed = sum(
        1 for lesson in lessons if lesson.progress and lesson.progress.completed_at
    )
    return CourseOutline(modules, lessons, completed)


def _locked(user: AbstractBaseUser, cohort: CohortPage, lesson) -> LessonProgress:
    """The progress row, created if needed, locked until the transaction ends."""
    LessonProgress.objects.get_or_create(user=user, cohort=cohort, lesson=lesson)
    return LessonProgress.objects.select_for_update().get(
        user=user, cohort=cohort, lesson=lesson
    )


def progress_on(user: AbstractBaseUser, cohort: CohortPage, lesson) -> LessonProgress:
    """The person's progress on the lesson, unsaved if they have none yet.

    Reading a lesson records nothing (link previews and prefetches GET it
    too): progress starts with the first answer or completion, both POSTs.
    """
    found = LessonProgress.objects.filter(user=user, cohort=cohort, lesson=lesson)
    return found.first() or LessonProgress(user=user, cohort=cohort, lesson=lesson)


def answer_from(block, data: QueryDict) -> dict | str:
    """What the person answered in one block, or what is wrong with it."""
    if block.block_type == "reflection":
        form = ReflectionAnswerForm(data)
        if not form.is_valid():
            return first_error(form)
        return {"text": form.cleaned_data["text"].strip()}
    name = "choice" if block.block_type == "quiz" else "done"
    count = len(block.value["choices" if block.block_type == "quiz" else "items"])
    form = PositionsAnswerForm(data, name=name, count=count)
    if not form.is_valid():
        return first_error(form)
    chosen = sorted(set(form.cleaned_data[name]))
    if block.block_type == "checklist":
        return {"done": chosen}
    if not chosen:
        return _("Choose an answer first.")
    return {"chosen": chosen, "correct": grade_quiz(block.value, set(chosen))}


def record_answer(
    user: AbstractBaseUser, cohort: CohortPage, lesson, block, answer: dict
) -> LessonProgress:
    with transaction.atomic():
        progress = _locked(user, cohort, lesson)
        progress.answers[block.id] = answer
        progress.quiz_score = quiz_score(lesson, progress.answers)
        progress.save(update_fields=["answers", "quiz_score", "updated_at"])
    return progress


def quiz_score(lesson, answers: dict) -> int | None:
    """Percentage of the lesson's quiz questions answered right (None: no quiz)."""
    quizzes = [block for block in lesson.body if block.block_type == "quiz"]
    if not quizzes:
        return None
    right = sum(1 for quiz in quizzes if answers.get(quiz.id, {}).get("correct"))
    return round(100 * right / len(quizzes))


def complete(user: AbstractBaseUser, cohort: CohortPage, lesson) -> bool:
    """Mark the lesson done; True the first time only."""
    with transaction.atomic():
        progress = _locked(user, cohort, lesson)
        if progress.status == LessonProgress.Status.COMPLETED:
            return False
        progress.status = LessonProgress.Status.COMPLETED
        progress.completed_at = timezone.now()
        progress.save(update_fields=["status", "completed_at", "updated_at"])
        emit(LessonCompleted(lesson_id=lesson.pk, user_id=user.pk, cohort_id=cohort.pk))
        issue_if_complete(user, cohort)
    return True
