"""A cohort's course, as its members work through it, and its certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts import permissions, privacy
from cohorts.group_pages import insiders_context
from cohorts.models import CohortPage
from content.translation import show_in_active_language
from learning import certificates, progress
from learning.models import Certificate
from lms.files import private_download


def _member_context(request: HttpRequest, cohort: CohortPage) -> dict:
    """The page header's context for a member; 403 for anyone else."""
    return insiders_context(
        cohort, request.user, _("The course is for the group's members.")
    )


def _cohort_with_course(request: HttpRequest, cohort_id: int) -> CohortPage:
    cohort = permissions.viewable_cohort(
        request, cohort_id, CohortPage.objects.live().select_related("course")
    )
    if cohort.course is None or not cohort.course.live:
        raise Http404(_("This group has no course."))
    return cohort


@login_required
def course(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Modules and lessons, what is open, and the person's progress."""
    cohort = _cohort_with_course(request, cohort_id)
    context = _member_context(request, cohort)
    outline = progress.course_outline(request.user, cohort)
    context.update(
        course_page=True,
        certificate=Certificate.objects.filter(
            user=request.user, cohort=cohort, course=cohort.course_id
        ).first(),
        modules=outline.modules,
        completed=outline.completed,
        lesson_count=len(outline.lessons),
    )
    return TemplateResponse(request, "learning/course.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lesson(request: HttpRequest, cohort_id: int, lesson_id: int) -> HttpResponse:
    """One lesson with the person's own answers; answering and completing post here."""
    cohort = _cohort_with_course(request, cohort_id)
    context = _member_context(request, cohort)
    lessons = list(cohort.course.lessons())
    page = progress.open_lesson(cohort, lessons, lesson_id)
    if page is None:
        raise Http404(_("This lesson is not open in this group (yet)."))
    if request.method == "POST":
        return _save(request, cohort, page)
    show_in_active_language([cohort.course, *lessons])
    mine = progress.progress_on(request.user, cohort, page)
    answers = mine.answers
    position = next(n for n, each in enumerate(lessons) if each.pk == page.pk)
    context.update(
        course_page=True,
        cohort=cohort,  # for plugin content blocks
        lesson=page,
        lesson_blocks=[(block, answers.get(block.id)) for block in page.body],
        lesson_action=request.path,
        progress=mine,
        previous_lesson=lessons[position - 1] if position else None,
        next_lesson=lessons[position + 1] if position + 1 < len(lessons) else None,
    )
    return TemplateResponse(request, "learning/lesson.html", context)


def _save(request: HttpRequest, cohort: CohortPage, page) -> HttpResponse:
    user = request.user
    if "complete" in request.POST:
        if progress.complete(user, cohort, page):
            messages.success(request, _("Lesson completed. Well done!"))
        return redirect(request.path)
    block = next(
        (
            block
            for block in page.interactive_blocks()
            if block.id == request.POST.get("block")
        ),
        None,
    )
    if block is None:
        messages.error(request, _("Choose an answer first."))
        return redirect(request.path)
    answer = progress.answer_from(block, request.POST)
    if isinstance(answer, str):
        messages.error(request, answer)
    else:
        progress.record_answer(user, cohort, page, block, answer)
        messages.success(request, _("Saved."))
    # The block's own id, not the posted one: a line break in a Location
    # header is a server error.
    return redirect(f"{request.path}#block-{block.id}")


def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone with the code can check a certificate is real."""
    certificate = Certificate.objects.filter(code=code).first()
    status = 200 if certificate else 404
    return TemplateResponse(
        request,
        "learning/certificate.html",
        {
            "certificate": certificate,
            "holder": privacy.certificate_name(certificate.name, certificate.cohort)
            if certificate
            else "",
            "code": code,
        },
        status=status,
    )


@login_required
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The PDF, for the person it was issued to only."""
    certificate = get_object_or_404(Certificate, code=code, user=request.user)
    return private_download(
        certificates.as_pdf(certificate), f"certificate-{code}.pdf", "application/pdf"
    )
