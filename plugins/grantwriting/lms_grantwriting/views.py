"""Workshop pages. Each asks `access` who may see what; outsiders get 404."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lms_grantwriting import access
from lms_grantwriting.forms import AssignmentForm, FeedbackForm, VersionForm
from lms_grantwriting.models import Assignment, Draft
from lms_grantwriting.work import give_feedback, save_assignment, submit_version
from sdk import (
    CURRENT_MEMBER_STATUSES,
    Membership,
    is_member,
    nav_context,
    serve_private,
    staff_role,
    viewable_cohort,
)

PEOPLE_PER_PAGE = 50


def _nav(cohort, user, found) -> dict:
    return {
        **nav_context(cohort, user, staff_role(found)),
        "tab_page": True,
    }


@login_required
def workshop(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The workshop tab: its assignments, with where the visitor stands on each."""
    cohort, found = access.workshop_for(request.user, cohort_id, request)
    mine = dict(
        Draft.objects.filter(
            assignment__cohort=cohort, author=request.user
        ).values_list("assignment", "status")
    )
    labels = dict(Draft.Status.choices)
    assignments = [
        (assignment, labels.get(mine.get(assignment.pk), ""))
        for assignment in Assignment.objects.filter(cohort=cohort).select_related(
            "session"
        )
    ]
    return render(
        request,
        "lms_grantwriting/workshop.html",
        {
            **_nav(cohort, request.user, found),
            "assignments": assignments,
            "runs": staff_role(found),
        },
    )


def _assignment_form(request, cohort, found, instance=None):
    if not staff_role(found):
        raise PermissionDenied(_("Facilitators set the workshop's assignments."))
    with timezone.override(ZoneInfo(cohort.time_zone)):
        form = AssignmentForm(request.POST or None, instance=instance, cohort=cohort)
        if request.method == "POST" and form.is_valid():
            assignment = form.save(commit=False)
            assignment.cohort = cohort
            save_assignment(assignment)
            messages.success(request, _("Assignment saved."))
            return redirect("grantwriting:assignment", assignment.pk)
        response = render(
            request,
            "lms_grantwriting/assignment_form.html",
            {**_nav(cohort, request.user, found), "form": form, "object": instance},
        )
    if request.method == "POST":
        response.status_code = 400
    return response


@login_required
def new_assignment(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort, found = access.workshop_for(request.user, cohort_id, request)
    return _assignment_form(request, cohort, found)


def _assignment(request, assignment_id):
    assignment = get_object_or_404(
        Assignment.objects.select_related("cohort", "session"), pk=assignment_id
    )
    cohort, found = access.workshop_for(request.user, assignment.cohort_id, request)
    return assignment, cohort, found


@login_required
def edit_assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, cohort, found = _assignment(request, assignment_id)
    return _assignment_form(request, cohort, found, assignment)


@login_required
def assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Instructions, the visitor's own draft with a form for the next version,
    and the drafts of others they may read."""
    assignment, cohort, found = _assignment(request, assignment_id)
    participant = found.role == Membership.Role.PARTICIPANT
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not participant:
            raise PermissionDenied(_("Participants submit drafts."))
        if form.is_valid():
            data = form.cleaned_data
            version = submit_version(
                assignment,
                request.user,
                text=data["text"],
                status=data["status"],
                note=data["note"],
                file=data["file"],
            )
            messages.success(
                request,
                _("Version %(number)s saved.") % {"number": version.number},
            )
            return redirect("grantwriting:draft", version.draft_id)
    own = Draft.objects.filter(assignment=assignment, author=request.user).first()
    others = (
        access.drafts_seen_by(request.user, cohort, found)
        .filter(assignment=assignment)
        .exclude(author=request.user)
        .select_related("author")
        .order_by("author__first_name", "author__last_name", "pk")
    )
    response = render(
        request,
        "lms_grantwriting/assignment.html",
        {
            **_nav(cohort, request.user, found),
            "assignment": assignment,
            "runs": staff_role(found),
            "own": own,
            "form": form if participant else None,
            "others": others,
        },
    )
    if request.method == "POST":
        response.status_code = 400
    return response


@login_required
def draft(request: HttpRequest, draft_id: int) -> HttpResponse:
    """One draft: a version (the latest unless ?v= says), every version, the
    feedback thread, and a form to add to it."""
    draft, found = access.draft_for(request.user, draft_id, request)
    versions = list(draft.versions.all())
    wanted = request.GET.get("v", "")
    shown = next((v for v in versions if str(v.number) == wanted), None)
    if wanted and shown is None:
        raise Http404
    shown = shown or (versions[0] if versions else None)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and shown is not None and form.is_valid():
        give_feedback(draft, request.user, form.cleaned_data["text"], shown)
        messages.success(request, _("Feedback posted."))
        return redirect(f"{request.path}?v={shown.number}")
    cohort = draft.assignment.cohort
    response = render(
        request,
        "lms_grantwriting/draft.html",
        {
            **_nav(cohort, request.user, found),
            "draft": draft,
            "versions": versions,
            "shown": shown,
            "feedback": draft.feedback.select_related("author", "version"),
            "form": form,
            "is_author": draft.author_id == request.user.pk,
        },
    )
    if request.method == "POST":
        response.status_code = 400
    return response


@login_required
def version_file(request: HttpRequest, draft_id: int, number: int) -> HttpResponse:
    draft, _found = access.draft_for(request.user, draft_id, request)
    version = get_object_or_404(draft.versions, number=number)
    if not version.file:
        raise Http404
    return serve_private(version.file)


@login_required
def overview(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Who submitted what: people down, assignments across, status in each."""
    cohort = viewable_cohort(request, cohort_id)
    if not cohort.uses_plugin(access.LABEL):
        raise Http404
    found = is_member(request.user, cohort)
    if not access.sees_overview(request.user, cohort, found):
        raise PermissionDenied(
            _("Only the workshop's facilitators and leads see this.")
        )
    assignments = list(Assignment.objects.filter(cohort=cohort))
    people = Paginator(
        get_user_model()
        .objects.filter(
            memberships__cohort=cohort,
            memberships__role=Membership.Role.PARTICIPANT,
            memberships__status__in=CURRENT_MEMBER_STATUSES,
        )
        .order_by("first_name", "last_name", "pk"),
        PEOPLE_PER_PAGE,
    ).get_page(request.GET.get("page"))
    drafts = {
        (d.author_id, d.assignment_id): d
        for d in Draft.objects.filter(
            assignment__in=assignments, author__in=list(people.object_list)
        )
    }
    rows = [
        (person, [drafts.get((person.pk, a.pk)) for a in assignments])
        for person in people.object_list
    ]
    context = {"assignments": assignments, "rows": rows, "items": people}
    if found is not None:
        context.update(_nav(cohort, request.user, found))
    else:
        context["page"] = cohort
    return render(request, "lms_grantwriting/overview.html", context)
