"""Reports for leads: attendance, progress, completion and goals, per cohort
and per program, as tables (CSV or XLSX) and small accessible charts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cohorts import permissions
from cohorts.models import CohortPage, Membership, Program
from cohorts.program_names import program_name
from insights.indicators import actuals, core_values, held_sessions, plugin_measures
from insights.logic_models import LogicModel
from insights.measures import CORE_MEASURES, STANDINGS
from learning.models import Certificate, LessonProgress
from lms.forms import CONTROL_CHARACTERS
from lms.hookspecs import Measure, Period, Report
from lms.plugins import collect
from lms.spreadsheets import SafeCsvWriter, quote_formula
from scheduling.models import Attendance
from scheduling.register import PRESENT


def percent(part: float | Decimal, whole: float | Decimal) -> int | None:
    return round(100 * part / whole) if whole else None


def participant_report(cohort: CohortPage) -> Report:
    """One row per participant: attendance, lessons, certificate, goal."""
    held = held_sessions(Q(cohort=cohort))
    held_count = held.count()
    members = (
        Membership.objects.filter(cohort=cohort, role=Membership.Role.PARTICIPANT)
        .exclude(status=Membership.Status.WAITLISTED)
        .select_related("user")
        .annotate(
            attended=Count(
                "user__attendance",
                filter=Q(
                    user__attendance__session__in=held,
                    user__attendance__status__in=PRESENT,
                ),
                distinct=True,
            ),
            lessons=Count(
                "user__lesson_progress",
                filter=Q(
                    user__lesson_progress__cohort=cohort,
                    user__lesson_progress__status=LessonProgress.Status.COMPLETED,
                ),
                distinct=True,
            ),
            certified=Count(
                "user__certificates",
                filter=Q(user__certificates__cohort=cohort),
                distinct=True,
            ),
        )
        .order_by("user__first_name", "user__last_name", "pk")
    )
    goal_met = {True: _("yes"), False: _("no"), None: ""}
    return Report(
        name=_("Participants"),
        columns=[
            _("Name"),
            _("Status"),
            _("Sessions attended"),
            _("Attendance (%)"),
            _("Lessons completed"),
            _("Certificate"),
            _("Goal"),
            _("Goal met"),
        ],
        rows=[
            [
                member.user.get_full_name() or member.user.email,
                member.get_status_display(),
                member.attended,
                percent(member.attended, held_count),
                member.lessons,
                _("yes") if member.certified else "",
                member.goal,
                goal_met[member.goal_met],
            ]
            for member in members
        ],
    )


def session_report(cohort: CohortPage) -> Report:
    zone = ZoneInfo(cohort.time_zone)
    sessions = (
        held_sessions(Q(cohort=cohort))
        .annotate(
            present=Count("attendance", filter=Q(attendance__status="present")),
            late=Count("attendance", filter=Q(attendance__status="late")),
            absent=Count("attendance", filter=Q(attendance__status="absent")),
        )
        .order_by("starts_at")
    )
    return Report(
        name=_("Sessions"),
        columns=[_("Date"), _("Session"), _("Present"), _("Late"), _("Absent")],
        rows=[
            [
                s.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                s.display_title,
                s.present,
                s.late,
                s.absent,
            ]
            for s in sessions
        ],
    )


def cohort_reports(cohort: CohortPage) -> list[Report]:
    return [
        participant_report(cohort),
        session_report(cohort),
        *collect("lms_reports", plugins=cohort.plugins, cohort=cohort),
    ]


def program_cohorts(program: Program, among=None) -> list[CohortPage]:
    """The program's cohorts (those of `among`, a QuerySet of groups, when
    given), in the order of its report's rows."""
    found = CohortPage.objects.filter(program=program)
    if among is not None:
        found = found.filter(pk__in=among.values("pk"))
    return list(found.order_by("title", "pk"))


@dataclass(frozen=True)
class ProgramReports:
    """A program's reports as one person reads them: `whole` for its leads;
    otherwise (a chapter's leads) the rows of the groups they manage only."""

    cohorts: list[CohortPage]
    tables: list[Report]
    whole: bool


def reports_for(user, program: Program) -> ProgramReports:
    among = permissions.program_report_groups(user, program)
    cohorts = program_cohorts(program, among)
    whole = among is None
    return ProgramReports(
        cohorts, program_reports(program, cohorts, whole=whole), whole
    )


def program_reports(
    program: Program, cohorts: list[CohortPage], *, whole: bool = True
) -> list[Report]:
    """A program's reports as its reports page shows them: one row per group
    of `cohorts` (`program_report`), its outcomes against their targets
    when the report is of the `whole` program (they count every group), and
    (when any group has one) each measure by group."""
    measures = program_measures(program)
    by_group = measures_by_group(cohorts, measures)
    return [
        program_report(program, cohorts),
        *([outcomes_report(program, measures)] if whole else []),
        *([by_group] if by_group.rows else []),
    ]


def program_report(program: Program, cohorts: list[CohortPage] | None = None) -> Report:
    """One row per cohort of the program (`cohorts`, from `program_cohorts`,
    when the caller has them already), in a fixed number of queries."""
    if cohorts is None:
        cohorts = program_cohorts(program)
    ids = [cohort.pk for cohort in cohorts]
    participants = dict(
        Membership.objects.filter(cohort__in=ids, role=Membership.Role.PARTICIPANT)
        .exclude(status=Membership.Status.WAITLISTED)
        .values("cohort")
        .annotate(n=Count("pk"))
        .values_list("cohort", "n")
    )
    goals = {
        row["cohort"]: row
        for row in Membership.objects.filter(
            cohort__in=ids, role=Membership.Role.PARTICIPANT
        )
        .values("cohort")
        .annotate(
            answered=Count("pk", filter=Q(goal_met__isnull=False)),
            met=Count("pk", filter=Q(goal_met=True)),
        )
    }
    held = dict(
        held_sessions(Q(cohort__in=ids))
        .values("cohort")
        .annotate(n=Count("pk"))
        .values_list("cohort", "n")
    )
    attended = dict(
        Attendance.objects.filter(
            session__in=held_sessions(Q(cohort__in=ids)), status__in=PRESENT
        )
        .values("session__cohort")
        .annotate(n=Count("pk"))
        .values_list("session__cohort", "n")
    )
    certified = dict(
        Certificate.objects.filter(cohort__in=ids)
        .values("cohort")
        .annotate(n=Count("pk"))
        .values_list("cohort", "n")
    )
    rows = []
    for cohort in cohorts:
        people = participants.get(cohort.pk, 0)
        goal = goals.get(cohort.pk, {"answered": 0, "met": 0})
        rows.append(
            [
                cohort.title,
                cohort.get_kind_display(),
                people,
                held.get(cohort.pk, 0),
                percent(attended.get(cohort.pk, 0), people * held.get(cohort.pk, 0)),
                percent(certified.get(cohort.pk, 0), people)
                if cohort.course_id
                else None,
                percent(goal["met"], goal["answered"]),
            ]
        )
    return Report(
        name=program_name(program),
        columns=[
            _("Cohort"),
            _("Kind"),
            _("Participants"),
            _("Sessions held"),
            _("Attendance (%)"),
            _("Completed the course (%)"),
            _("Goals met (%)"),
        ],
        rows=rows,
    )


def program_measures(program: Program) -> list[Measure]:
    """The core measures of the program's groups over all its time (a query
    for each group of them), then the measures plugins report for it."""
    counted = core_values(program.pk, Period())
    core = [
        Measure(key, str(label), counted[key]) for key, label in CORE_MEASURES.items()
    ]
    return [*core, *plugin_measures(program, None)]


def current_logic_model(program: Program) -> LogicModel | None:
    """The program's logic model whose period holds today; else the one
    that started last; else one without dates."""
    today = timezone.localdate()
    models = list(program.logic_models.all())
    for model in models:
        if (model.starts_on or today) <= today <= (model.ends_on or today):
            return model
    dated = [model for model in models if model.starts_on]
    if dated:
        return max(dated, key=lambda model: model.starts_on)
    return models[0] if models else None


def outcomes_report(program: Program, measures: list[Measure] | None = None) -> Report:
    """The indicators of the program's current logic model against their
    targets: the actual, the target as written ("8-12"), the share of its
    lower end reached (of its upper end when it has only that), where it
    stands; then each of `measures` no indicator counts, with no target."""
    model = current_logic_model(program)
    found = actuals(model) if model is not None else []
    rows = []
    for actual in found:
        indicator = actual.indicator
        end = indicator.target if indicator.target is not None else indicator.maximum
        rows.append(
            [
                indicator.title,
                actual.shown_value,
                actual.unit,
                indicator.describe(),
                None if actual.value is None else percent(actual.value, end or 0),
                str(STANDINGS[actual.standing]),
            ]
        )
    counted = {actual.indicator.measure for actual in found}
    for measure in measures or []:
        if measure.key not in counted:
            rows.append([measure.label, measure.value, measure.unit, None, None, None])
    return Report(
        name=_("Outcomes against targets"),
        columns=[
            _("Measure"),
            _("Result"),
            _("Unit"),
            _("Target"),
            _("Of the target (%)"),
            _("Where it stands"),
        ],
        rows=rows,
    )


def measures_by_group(cohorts: list[CohortPage], measures: list[Measure]) -> Report:
    """A row per group, a column per measure broken down by group (plugins
    give `by_group`); no columns when no measure is."""
    broken_down = [measure for measure in measures if measure.by_group]
    return Report(
        name=_("Measures by group"),
        columns=[
            _("Cohort"),
            *(
                f"{measure.label} ({measure.unit})" if measure.unit else measure.label
                for measure in broken_down
            ),
        ],
        rows=[
            [cohort.title, *(each.by_group.get(cohort.pk) for each in broken_down)]
            for cohort in cohorts
        ]
        if broken_down
        else [],
    )


# Downloads


def as_csv(report: Report) -> str:
    """The report as CSV, its headings' formulas quoted as its cells' are
    (a plugin's report may head a column with what a lead wrote)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(report.columns)
    for row in report.rows:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()


def as_xlsx(
    reports: Sequence[Report], about: Sequence[tuple[str, object]] = ()
) -> bytes:
    """The reports as sheets of one workbook, each column as wide as its
    longest value (up to 60 characters), the headings kept in view; `about`,
    when given, is a first sheet of what the workbook covers (program,
    period, when it was made)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    if about:
        sheet = book.create_sheet(_("About")[:31])
        for label, value in about:
            sheet.append([_xlsx_cell(label), _xlsx_cell(value)])
        _fit_columns(sheet)
    for number, report in enumerate(reports, start=1):
        # Sheet titles: at most 31 characters, unique.
        sheet = book.create_sheet(f"{number} {report.name}"[:31])
        sheet.append([_xlsx_cell(value) for value in report.columns])
        for row in report.rows:
            sheet.append([_xlsx_cell(value) for value in row])
        sheet.freeze_panes = "A2"
        _fit_columns(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fit_columns(sheet) -> None:
    from openpyxl.utils import get_column_letter as letter

    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        longest = max(
            (len(str(value)) for value in column if value is not None), default=8
        )
        sheet.column_dimensions[letter(index)].width = min(max(longest, 8), 60) + 2


def _xlsx_cell(value):
    """Formulas quoted as in every export; control characters dropped, since
    XML cannot hold them and text stored before forms refused them (or a
    plugin's report) would otherwise fail the whole download."""
    value = quote_formula(value)
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    return value


def report_slug(report: Report) -> str:
    return slugify(report.name) or "report"


# Charts


@dataclass(frozen=True)
class Bar:
    label: str
    value: int

    @property
    def percent(self) -> int:
        """The bar's length out of 100; a value past the target stops at the end."""
        return max(0, min(self.value, 100))


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of percentages, drawn by a template."""

    title: str
    bars: list[Bar]


def percent_chart(title: str, labelled: list[tuple[str, int | None]]) -> Chart:
    return Chart(
        title, [Bar(label, value) for label, value in labelled if value is not None]
    )
