"""The facilitator's dashboard and the report pages and downloads for
facilitators (a cohort) and leads (a program)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts import permissions
from cohorts.forms import NudgeForm
from cohorts.group_pages import header_context, nav_context
from cohorts.models import CohortPage, Membership
from insights import dashboard, outcomes
from lms.db_routers import replica_reads
from lms.files import XLSX, private_download
from lms.hookspecs import Report
from lms.panels import render_panels
from notifications.emails import send_nudge

LEADS_PERMISSION = "cohorts.view_program"


def _download_asked(request: HttpRequest) -> tuple[str, str] | None:
    """The download the query string asks for (kind, report slug), or None to
    show the page; checked before any report is built, so that an address no
    download can answer costs a 404, not the reports."""
    kind = request.GET.get("download")
    if not kind:
        return None
    if kind not in {"csv", "xlsx"}:
        raise Http404(_("Reports download as csv or xlsx."))
    wanted = request.GET.get("report", "")
    if kind == "csv" and (not wanted or slugify(wanted) != wanted):
        raise Http404(_("There is no such report."))
    return kind, wanted


def _download(asked: tuple[str, str] | None, reports: list[Report], name: str):
    """The download `_download_asked` found, of `reports`, or None."""
    if asked is None:
        return None
    kind, wanted = asked
    if kind == "xlsx":
        return private_download(outcomes.as_xlsx(reports), f"{name}.xlsx", XLSX)
    report = next((r for r in reports if outcomes.report_slug(r) == wanted), None)
    if report is None:
        raise Http404(_("There is no such report."))
    return private_download(
        outcomes.as_csv(report), f"{name}-{wanted}.csv", "text/csv; charset=utf-8"
    )


def _tables(
    reports: list[Report], links: list[str | None] | None = None
) -> list[tuple[Report, str, list]]:
    """Each report with its slug and its rows, each row paired with the
    address its first cell links to: `links` for the first report's rows,
    none for the others."""
    tables = []
    for report in reports:
        row_links = links or [None] * len(report.rows)
        rows = list(zip(row_links, report.rows, strict=True))
        tables.append((report, outcomes.report_slug(report), rows))
        links = None
    return tables


@login_required
def cohort_reports(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = permissions.viewable_cohort(request, cohort_id)
    permissions.check_sees_reports(request.user, cohort)
    facilitating = permissions.can_facilitate(request.user, cohort)
    asked = _download_asked(request)
    with replica_reads():
        reports = outcomes.cohort_reports(cohort)
    download = _download(asked, reports, cohort.slug)
    if download:
        return download
    sessions = reports[1]
    # Out of those on each session's register: members who joined after it
    # or left before it are not counted against it.
    chart = outcomes.percent_chart(
        _("Attendance per session (% of those on its register present or late)"),
        [
            (row[0][:10], outcomes.percent(row[2] + row[3], row[2] + row[3] + row[4]))
            for row in sessions.rows
        ],
    )
    context = nav_context(cohort, request.user, facilitating)
    context.update(reports_page=True, tables=_tables(reports), charts=[chart])
    return render(request, "cohorts/reports.html", context)


def lead_or_403(request: HttpRequest) -> None:
    if not request.user.has_perm(LEADS_PERMISSION):
        raise PermissionDenied(_("Program reports are for program leads."))


def reads_program_reports(user) -> bool:
    """Program leads, and a chapter's leads (for their chapter's groups)."""
    return (
        user.has_perm(LEADS_PERMISSION) or permissions.reported_programs(user).exists()
    )


def reports_reader_or_403(request: HttpRequest) -> None:
    if not reads_program_reports(request.user):
        raise PermissionDenied(_("Program reports are for program leads."))


@login_required
def program_index(request: HttpRequest) -> HttpResponse:
    reports_reader_or_403(request)
    led = set(permissions.led_programs(request.user).values_list("pk", flat=True))
    programs = list(
        permissions.reported_programs(request.user)
        .order_by("name")
        .prefetch_related("names")
    )
    for program in programs:
        program.whole = program.pk in led
    return render(request, "cohorts/program_index.html", {"programs": programs})


@login_required
def program_reports(request: HttpRequest, slug: str) -> HttpResponse:
    reports_reader_or_403(request)
    program = get_object_or_404(permissions.reported_programs(request.user), slug=slug)
    asked = _download_asked(request)
    with replica_reads():
        found = outcomes.reports_for(request.user, program)
    # A reader may open the reports of every live group the report lists.
    group_reports = [
        reverse("cohorts:reports", args=[cohort.pk]) if cohort.live else None
        for cohort in found.cohorts
    ]
    download = _download(asked, found.tables, program.slug)
    if download:
        return download
    report = found.tables[0]
    charted = [
        (_("Attendance (%)"), report.rows, 4),
        (_("Completed the course (%)"), report.rows, 5),
        (_("Goals met (%)"), report.rows, 6),
    ]
    if found.whole:
        charted.append(
            (_("Outcomes: share of the target reached (%)"), found.tables[1].rows, 4)
        )
    charts = [
        outcomes.percent_chart(title, [(row[0], row[column]) for row in rows])
        for title, rows, column in charted
    ]
    return render(
        request,
        "cohorts/reports.html",
        {
            "report_program": program,
            "report_whole": found.whole,
            "tables": _tables(found.tables, group_reports),
            "charts": charts,
        },
    )


def _facilitated_cohort(
    request: HttpRequest, cohort_id: int
) -> tuple[CohortPage, Membership | None]:
    """The group, and the user's current membership of it (None for a
    superuser outside it), looked up once for the check and the header."""
    cohort = permissions.viewable_cohort(request, cohort_id)
    found = permissions.membership(request.user, cohort)
    if not permissions.facilitates(request.user, found):
        raise PermissionDenied(_("Only this group's facilitators see its dashboard."))
    return cohort, found


@login_required
def facilitator_dashboard(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Attendance, progress and who may need a word, for the people running it."""
    cohort, found = _facilitated_cohort(request, cohort_id)
    context = header_context(cohort, request.user, True, found)
    context.update(
        dashboard_page=True,
        dashboard=dashboard.facilitator_dashboard(cohort, request.GET.get("page")),
        panels=render_panels(request, cohort, plugins=cohort.plugins),
    )
    return render(request, "cohorts/dashboard.html", context)


@login_required
@require_POST
def nudge(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """A check-in e-mail to the participant whose button was pressed."""
    cohort = _facilitated_cohort(request, cohort_id)[0]
    form = NudgeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose whom to send a check-in to."))
    member = get_object_or_404(
        Membership.objects.select_related("user"),
        cohort=cohort,
        user_id=form.cleaned_data["user"],
        status=Membership.Status.ACTIVE,
    ).user
    name = member.get_full_name() or member.email
    if send_nudge(cohort, member, request.user):
        messages.success(
            request, _("A check-in e-mail went to %(name)s.") % {"name": name}
        )
    else:
        messages.info(
            request,
            _("%(name)s already got a check-in today.") % {"name": name},
        )
    return redirect("cohorts:dashboard", cohort_id=cohort.pk)
