"""The network's courses in a chapter lead's admin: adopt one for the
chapter, see the chapter's copies and whether their originals changed."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages

from chapters import courses
from chapters.access import chapter_ids_for


def _chapters_or_403(request: HttpRequest):
    if not chapter_ids_for(request):
        raise PermissionDenied
    return courses.chapters_for(request)


class AdoptForm(forms.Form):
    chapter = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = chapters
        self.fields["chapter"].error_messages["invalid_choice"] = _(
            "Choose one of your chapters."
        )


@require_http_methods(["GET", "HEAD"])
def shared_courses(request: HttpRequest) -> HttpResponse:
    chapters = list(_chapters_or_403(request))
    adoptions = list(courses.adoptions_for(request.user))
    copies: dict[int, list] = {}
    for adoption in adoptions:
        copies.setdefault(adoption.original_id, []).append(adoption)
    listed = []
    for course in courses.network_courses():
        adopted = copies.get(course.pk, [])
        taken = {adoption.chapter_id for adoption in adopted}
        listed.append(
            (course, adopted, [each for each in chapters if each.pk not in taken])
        )
    return TemplateResponse(
        request,
        "chapters/admin/shared_courses.html",
        {
            "admin_title": _("Shared courses"),
            "admin_icon": "doc-full-inverse",
            "courses": listed,
            "adoptions": adoptions,
        },
    )


@require_POST
def adopt(request: HttpRequest, course_id: int) -> HttpResponse:
    chapters = _chapters_or_403(request)
    original = courses.network_courses().filter(pk=course_id).first()
    if original is None:
        raise Http404(_("No such course of the network."))
    form = AdoptForm(request.POST, chapters=chapters)
    if not form.is_valid():
        messages.error(request, _("Choose one of your chapters."))
        return redirect("shared_courses:index")
    chapter = form.cleaned_data["chapter"]
    try:
        adoption = courses.adopt(original, chapter, request.user)
    except courses.AdoptionRefused as refused:
        messages.error(request, str(refused))
        return redirect("shared_courses:index")
    messages.success(
        request,
        _("%(chapter)s has its own copy of “%(course)s”: adapt and translate it.")
        % {"chapter": chapter, "course": original.title},
        buttons=[
            messages.button(
                reverse("wagtailadmin_pages:edit", args=[adoption.course_id]),
                _("Edit the copy"),
            )
        ],
    )
    return redirect("shared_courses:index")


@require_POST
def reviewed(request: HttpRequest, adoption_id: int) -> HttpResponse:
    adoption = courses.adoptions_for(request.user).filter(pk=adoption_id).first()
    if adoption is None:
        raise Http404(_("No such copy of your chapters."))
    courses.mark_reviewed(adoption)
    messages.success(request, _("Marked as looked at."))
    return redirect("shared_courses:index")
