"""The network's courses in a chapter lead's admin: adopt one for the
chapter, see the chapter's copies and whether their originals changed."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.sites.views import SiteViewSet

from chapters import courses
from chapters.access import chapter_ids_for, chapter_lead_only
from chapters.models import Chapter


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


def _explorable_only(wagtails):
    """Wagtail's explorer view `wagtails`, for a page the person may explore
    (it, or a page below it, is theirs to edit; superusers every one).

    Wagtail sends a person to their own part of the tree only when the page
    lies outside the lowest page above all of theirs; a chapter's leads
    hold pages in every language, whose lowest common page is the tree's
    root, so another chapter's page, opened by its id, would be listed with
    its title and path. They are sent to their own part instead."""

    # As Wagtail's admin addresses are: for those who may use the admin
    # (others are sent to its login), never kept by a browser or proxy.
    @require_admin_access
    @never_cache
    def explorer(request: HttpRequest, parent_page_id: int) -> HttpResponse:
        user = request.user
        policy = PagePermissionPolicy()
        if user.is_superuser:
            return wagtails(request, parent_page_id=parent_page_id)
        if not policy.explorable_instances(user).filter(pk=parent_page_id).exists():
            root = policy.explorable_root_instance(user)
            if root is None:  # no page to explore at all
                return redirect("wagtailadmin_home")
            return redirect("wagtailadmin_explore", root.pk)
        return wagtails(request, parent_page_id=parent_page_id)

    return explorer


explorer_index = _explorable_only(
    page_viewset_registry.as_view("index", parent_page_id_kwarg="parent_page_id")
)
explorer_results = _explorable_only(
    page_viewset_registry.as_view(
        "index_results", parent_page_id_kwarg="parent_page_id"
    )
)


def _whole_network_only(wagtails):
    """Wagtail's report `wagtails`, refused to a chapter's leads: it counts
    the pages of every site and names each type's last edited page, another
    chapter's (a private group's title) among them."""

    @require_admin_access
    def report(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if chapter_lead_only(request):
            raise PermissionDenied
        return wagtails(request, *args, **kwargs)

    return report


page_types_usage = _whole_network_only(PageTypesUsageReportView.as_view())
page_types_usage_results = _whole_network_only(
    PageTypesUsageReportView.as_view(results_only=True)
)


def _not_a_chapter_s(wagtails):
    """Wagtail's deletion of a site, except a chapter's: its Chapter holds it
    (deleting would fail), and a chapter ends by being archived, keeping its
    history. Said on the site's page instead of a server error."""

    @require_admin_access
    def delete(request: HttpRequest, pk: str) -> HttpResponse:
        if Chapter.objects.filter(site_id=pk).exists():
            messages.error(
                request,
                _(
                    "This site is a chapter's: archive the chapter "
                    "(manage.py archive_chapter) rather than delete its site."
                ),
            )
            return redirect("wagtailsites:edit", pk)
        return wagtails(request, pk=pk)

    return delete


site_delete = _not_a_chapter_s(
    SiteViewSet("wagtailsites", url_prefix="sites").delete_view
)
