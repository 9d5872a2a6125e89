"""A program's logic models for its leads: the model as a diagram and a
table of indicators against their ranges, each entered indicator's results
with their evidence and history, and the funder report (PDF, XLSX)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from cohorts import permissions
from cohorts.models import Program
from insights import funder_report
from insights.by_site import indicators_by_site
from insights.indicator_results import IndicatorResult
from insights.indicators import actuals, by_stage
from insights.logic_models import Indicator, LogicModel
from insights.outcomes import current_logic_model
from insights.views import lead_or_403
from lms.db_routers import replica_reads
from lms.files import serve_private
from lms.forms import PlainTextForm, first_error


def _program(request: HttpRequest, slug: str) -> Program:
    lead_or_403(request)
    return get_object_or_404(permissions.led_programs(request.user), slug=slug)


@login_required
def current(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's logic model whose period holds today (else the latest),
    or a page saying there is none yet: the address to bookmark."""
    program = _program(request, slug)
    model = current_logic_model(program)
    if model is None:
        return render(
            request,
            "cohorts/logic_model.html",
            {"report_program": program, "model": None},
        )
    return _logic_model_page(request, model)


def _model(request: HttpRequest, slug: str, model_id: int) -> LogicModel:
    program = _program(request, slug)
    return get_object_or_404(
        LogicModel.objects.select_related("program"), pk=model_id, program=program
    )


@login_required
def logic_model(request: HttpRequest, slug: str, model_id: int) -> HttpResponse:
    return _logic_model_page(request, _model(request, slug, model_id))


def _logic_model_page(request: HttpRequest, model: LogicModel) -> HttpResponse:
    download = request.GET.get("download")
    if download not in {None, "pdf", "xlsx"}:
        raise Http404(_("The funder report downloads as pdf or xlsx."))
    with replica_reads():
        found = actuals(model)
        if download:
            return funder_report.download(model, found, download)
        parts = list(model.parts.all())
        by_site = indicators_by_site(model, found)
    stages = [
        (stage, label, [part for part in parts if part.stage == stage], shown)
        for stage, label, shown in by_stage(found)
    ]
    return render(
        request,
        "cohorts/logic_model.html",
        {
            "report_program": model.program,
            "model": model,
            "stages": stages,
            "actuals": found,
            "by_site": by_site,
            "others": model.program.logic_models.exclude(pk=model.pk),
            "edit_url": reverse(
                "wagtailsnippets_insights_logicmodel:edit", args=[model.pk]
            ),
        },
    )


class ResultForm(PlainTextForm, forms.ModelForm):
    link = forms.URLField(
        label=capfirst(IndicatorResult._meta.get_field("link").verbose_name),
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    # The model's field checks the file's type and size.
    class Meta:
        model = IndicatorResult
        fields = ["value", "note", "link", "file"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


@login_required
def indicator(request: HttpRequest, slug: str, indicator_id: int) -> HttpResponse:
    """An indicator's results, newest first; an entered one takes a new
    result (its actual from then on), with a note and evidence."""
    program = _program(request, slug)
    shown = get_object_or_404(
        Indicator.objects.select_related("logic_model", "topic"),
        pk=indicator_id,
        logic_model__program=program,
    )
    form = None
    if shown.entered:
        form = ResultForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = form.save(commit=False)
            result.indicator, result.entered_by = shown, request.user
            result.save()
            messages.success(request, _("The result is saved."))
            return redirect(
                "cohorts:indicator", slug=program.slug, indicator_id=shown.pk
            )
        if form.is_bound and "file" in request.FILES:
            # A file does not survive a page sent back: say so next to it.
            form.add_error("file", _("Choose the file again."))
    elif request.method == "POST":
        return HttpResponse(
            _("This indicator is counted by the site; it takes no results."), status=405
        )
    (actual,) = actuals(shown.logic_model, [shown])
    return render(
        request,
        "cohorts/indicator.html",
        {
            "report_program": program,
            "model": shown.logic_model,
            "indicator": shown,
            "actual": actual,
            "results": shown.results.select_related("entered_by", "withdrawn_by"),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


class WithdrawForm(PlainTextForm, forms.Form):
    reason = forms.CharField(
        label=_lazy("Why withdraw it?"),
        max_length=300,
        help_text=_lazy("e.g. “Typed 70 for 7.” It stays in the history with this."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, result_id: int) -> HttpResponse:
    """Take back a result entered by mistake: kept in the history, marked."""
    program = _program(request, slug)
    result = get_object_or_404(
        IndicatorResult, pk=result_id, indicator__logic_model__program=program
    )
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    elif IndicatorResult.objects.filter(pk=result.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(),
        withdrawn_by=request.user,
        withdrawal_reason=form.cleaned_data["reason"],
    ):
        messages.success(
            request, _("The result is withdrawn; it stays in the history.")
        )
    return redirect(
        "cohorts:indicator", slug=program.slug, indicator_id=result.indicator_id
    )


@login_required
def evidence(request: HttpRequest, slug: str, result_id: int) -> HttpResponse:
    """A result's evidence file, for the leads of its program only."""
    program = _program(request, slug)
    result = get_object_or_404(
        IndicatorResult, pk=result_id, indicator__logic_model__program=program
    )
    if not result.file:
        raise Http404(_("This result has no file."))
    return serve_private(result.file)
