"""The routes of program leads: a program's logic model with each
indicator's actual against its range, as the logic model page shows it; its
reports and its groups' (the spreadsheets, CSV and PDF stay on the site).
With staff rights only (`api.auth`)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError

from api.auth import PERSON, check_staff_rights
from api.shapes import PERSON_PROBLEMS, answers
from cohorts.permissions import (
    check_sees_reports,
    led_programs,
    reported_programs,
    viewable_groups,
)
from insights import outcomes
from insights.indicators import Actual, actuals
from insights.outcomes import current_logic_model, report_slug
from insights.views import lead_or_403, reports_reader_or_403
from lms.db_routers import replica_reads
from lms.hookspecs import Report

router = Router(tags=["leading a program"], auth=PERSON)


class IndicatorOut(Schema):
    id: int
    stage: str
    name: str
    measure: str = Field(description="What counts it; empty: a lead enters results.")
    unit: str
    baseline: float | None
    target: float | None = Field(description="At least (the range's lower end).")
    maximum: float | None = Field(description="At most (its upper end).")
    value: float | None = Field(description="The actual so far; None: none yet.")
    standing: Literal["not_started", "below", "within", "above"]
    entered_at: datetime | None = Field(
        description="For an entered indicator, when its latest result was entered."
    )


class LogicModelOut(Schema):
    id: int
    program: str
    period: str
    starts_on: date | None
    ends_on: date | None
    indicators: list[IndicatorOut]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _indicator(found: Actual) -> IndicatorOut:
    indicator = found.indicator
    return IndicatorOut(
        id=indicator.pk,
        stage=indicator.stage,
        name=indicator.title,
        measure=indicator.measure,
        unit=found.unit,
        baseline=_number(indicator.baseline),
        target=_number(indicator.target),
        maximum=_number(indicator.maximum),
        value=_number(found.value),
        standing=found.standing,
        entered_at=found.latest.entered_at if found.latest else None,
    )


@router.get(
    "/programs/{slug}/indicators",
    response=answers(LogicModelOut, *PERSON_PROBLEMS, 404, 422),
)
def program_indicators(
    request: HttpRequest,
    slug: Annotated[str, Path(pattern=r"^[-\w]+$")],
    logic_model: int | None = None,
):
    """The program's logic model whose period holds today (else the latest;
    `logic_model`: another of its models, by id), each indicator with its
    actual and where it stands against its range: computed ones counted now,
    entered ones their latest result. For the program's leads (a program
    they do not lead is not found), with staff rights."""
    check_staff_rights(request)
    lead_or_403(request)
    program = get_object_or_404(led_programs(request.user), slug=slug)
    if logic_model is None:
        model = current_logic_model(program)
    else:
        model = program.logic_models.filter(pk=logic_model).first()
    if model is None:
        raise HttpError(404, _("This program has no such logic model."))
    with replica_reads():
        found = actuals(model)
    return LogicModelOut(
        id=model.pk,
        program=program.slug,
        period=model.period,
        starts_on=model.starts_on,
        ends_on=model.ends_on,
        indicators=[_indicator(each) for each in found],
    )


class ReportOut(Schema):
    name: str
    slug: str = Field(description="As the site's CSV download names it.")
    columns: list[str]
    rows: list[list[str | int | float | bool | None]] = Field(
        description="Dates and times as ISO 8601 text."
    )


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    return value


def _reports(found: list[Report]) -> list[ReportOut]:
    return [
        ReportOut(
            name=report.name,
            slug=report_slug(report),
            columns=[str(column) for column in report.columns],
            rows=[[_cell(value) for value in row] for row in report.rows],
        )
        for report in found
    ]


@router.get(
    "/programs/{slug}/reports",
    response=answers(list[ReportOut], *PERSON_PROBLEMS, 404, 422),
)
def program_reports(
    request: HttpRequest, slug: Annotated[str, Path(pattern=r"^[-\w]+$")]
):
    """The program's reports, as its reports page shows them: a row per
    group (participants, attendance, completion, goals met), its outcomes
    against their targets, each measure by group. For the program's leads
    (a program they do not lead is not found), with staff rights; a
    chapter's leads get their chapter's groups' rows, without the outcomes
    (counted over every chapter's)."""
    check_staff_rights(request)
    reports_reader_or_403(request)
    program = get_object_or_404(reported_programs(request.user), slug=slug)
    with replica_reads():
        return _reports(outcomes.reports_for(request.user, program).tables)


@router.get(
    "/groups/{group_id}/reports",
    response=answers(list[ReportOut], *PERSON_PROBLEMS, 404),
)
def group_reports(request: HttpRequest, group_id: int):
    """The group's reports, as its reports page shows them: a row per
    participant, a row per session, and those of the group's plugins. For
    those running the group and its program's leads, with staff rights."""
    group = get_object_or_404(
        viewable_groups(request.user, request).specific(), pk=group_id
    )
    check_staff_rights(request)
    check_sees_reports(request.user, group)
    with replica_reads():
        return _reports(outcomes.cohort_reports(group))
