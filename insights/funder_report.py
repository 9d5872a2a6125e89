"""The funder report of a program's logic model: one PDF (WeasyPrint) and one
XLSX holding the model, its indicators against their ranges, attendance per
group over the period, the plugins' measures (surveys' among them) and the
testimonies people allowed to be quoted."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cohorts.models import CohortPage
from cohorts.program_names import program_name
from insights.by_site import IndicatorsBySite, indicators_by_site
from insights.indicators import (
    Actual,
    by_stage,
    held_sessions,
    period_of,
    plugin_measures,
)
from insights.logic_models import LogicModel, Stage
from insights.measures import STANDINGS, plain
from insights.outcomes import as_xlsx, program_cohorts
from lms.files import XLSX, private_download
from lms.hookspecs import Measure, Period, Report
from lms.pdf import html_to_pdf
from lms.plugins import collect
from scheduling.models import Attendance
from scheduling.register import PRESENT


def logic_model_report(model: LogicModel) -> Report:
    labels = dict(Stage.choices)
    return Report(
        name=_("Logic model"),
        columns=[_("Stage"), _("Part")],
        rows=[[str(labels[part.stage]), part.text] for part in model.parts.all()],
    )


def indicators_report(found: list[Actual]) -> Report:
    rows = []
    for _stage, label, shown in by_stage(found):
        for actual in shown:
            indicator = actual.indicator
            rows.append(
                [
                    str(label),
                    indicator.title,
                    plain(indicator.baseline),
                    indicator.describe(),
                    actual.shown_value,
                    actual.unit,
                    str(STANDINGS[actual.standing]),
                    _("Entered by a lead")
                    if indicator.entered
                    else _("Counted by the site"),
                ]
            )
    return Report(
        name=_("Indicators"),
        columns=[
            _("Stage"),
            _("Indicator"),
            _("Baseline"),
            _("Target"),
            _("Actual"),
            _("Unit"),
            _("Where it stands"),
            _("Source"),
        ],
        rows=rows,
    )


def attendance_report(cohorts: list[CohortPage], period: Period) -> Report:
    """Per group of the program: sessions held in the period, attendances
    (present or late) and the people who came (three queries)."""
    held = held_sessions(Q(cohort__in=cohorts), period)
    sessions = dict(
        held.values("cohort").annotate(n=Count("pk")).values_list("cohort", "n")
    )
    came = (
        Attendance.objects.filter(session__in=held)
        .values("session__cohort")
        .annotate(
            present=Count("pk", filter=Q(status__in=PRESENT)),
            people=Count("user", filter=Q(status__in=PRESENT), distinct=True),
        )
    )
    attended = {row["session__cohort"]: row for row in came}
    rows = []
    for cohort in cohorts:
        if not sessions.get(cohort.pk):
            continue
        found = attended.get(cohort.pk, {"present": 0, "people": 0})
        rows.append(
            [
                cohort.title,
                cohort.get_kind_display(),
                sessions[cohort.pk],
                found["present"],
                found["people"],
            ]
        )
    return Report(
        name=_("Attendance"),
        columns=[
            _("Group"),
            _("Kind"),
            _("Sessions held"),
            _("Attendances (present or late)"),
            _("People who attended"),
        ],
        rows=rows,
    )


def measures_report(measures: list[Measure]) -> Report:
    return Report(
        name=_("Other measures"),
        columns=[_("Measure"), _("Result"), _("Unit")],
        rows=[[measure.label, measure.value, measure.unit] for measure in measures],
    )


def testimonies_report(model: LogicModel, period: Period) -> Report:
    """What people allowed to be quoted (the plugins that collect it: surveys)."""
    given = collect("lms_testimonies", program=model.program, period=period)
    return Report(
        name=_("Testimonies"),
        columns=[_("Testimony"), _("By"), _("Group")],
        rows=[[each.text, each.by, each.group] for each in given],
    )


def used_by(cohorts: list[CohortPage], measures: list[Measure]) -> list[Measure]:
    """The measures of plugins some of the groups use: a funder reading
    "coaching hours: 0" of a program that coaches nobody would read it as a
    result."""
    used = {label for cohort in cohorts for label in cohort.plugins}
    return [measure for measure in measures if measure.key.split(".")[0] in used]


def by_site_report(by_site: IndicatorsBySite | None) -> list[Report]:
    """The indicators chapter by chapter, when the program runs in several."""
    if by_site is None:
        return []
    return [
        Report(
            name=_("Indicators by chapter"),
            columns=[
                _("Indicator"),
                *(site.name for site in by_site.sites),
                _("Whole network"),
                _("Unit"),
            ],
            rows=[
                [
                    row.actual.indicator.title,
                    *row.shown,
                    row.actual.shown_value,
                    row.actual.unit,
                ]
                for row in by_site.rows
            ],
        )
    ]


def reports(model: LogicModel, found: list[Actual]) -> list[Report]:
    cohorts, period = program_cohorts(model.program), period_of(model)
    return [
        logic_model_report(model),
        indicators_report(found),
        *by_site_report(indicators_by_site(model, found)),
        attendance_report(cohorts, period),
        measures_report(used_by(cohorts, plugin_measures(model.program, period))),
        testimonies_report(model, period),
    ]


def download(model: LogicModel, found: list[Actual], kind: str) -> HttpResponse:
    """The funder report as `kind` ("pdf" or "xlsx")."""
    tables = reports(model, found)
    name = slugify(f"{model.program.slug} {model.period}") or "funder-report"
    if kind == "xlsx":
        about = [
            (_("Program"), program_name(model.program)),
            (_("Period"), model.period),
            (_("From"), model.starts_on),
            (_("Until"), model.ends_on),
            (_("Made"), timezone.localdate()),
        ]
        return private_download(as_xlsx(tables, about), f"{name}.xlsx", XLSX)
    html = render_to_string(
        "cohorts/funder_report_pdf.html",
        {
            "program_name": program_name(model.program),
            "model": model,
            "stages": by_stage(found),
            "parts": tables[0].rows,
            "tables": tables[1:],
            "made": timezone.localdate(),
        },
    )
    return private_download(html_to_pdf(html), f"{name}.pdf", "application/pdf")
