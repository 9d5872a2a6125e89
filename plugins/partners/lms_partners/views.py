import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms_partners import coalition, reviews
from lms_partners.access import keeps_directory
from lms_partners.directory import listed_partners
from lms_partners.forms import (
    CoalitionPeriod,
    LocationFormSet,
    ReviewForm,
    ReviewMessageForm,
    ServiceFormSet,
    SuggestionForm,
)
from lms_partners.hsds import export_zip, with_logos
from lms_partners.models import Correction
from sdk import (
    XLSX,
    Period,
    may_leave_message,
    private_download,
    report_as_csv,
    reports_as_xlsx,
)


@login_required
@require_http_methods(["GET", "HEAD"])
def hsds_export(request: HttpRequest) -> HttpResponse:
    """The public directory as Open Referral HSDS CSV files, for the leads
    who keep it (what it holds is public; the download is theirs to make)."""
    if not keeps_directory(request.user):
        raise PermissionDenied
    partners = with_logos(listed_partners()).prefetch_related(
        "sectors", "areas", "services__where", "locations"
    )
    day = timezone.localdate().isoformat()
    return private_download(
        export_zip(partners), f"partners-hsds-{day}.zip", "application/zip"
    )


@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest, token: str) -> HttpResponse:
    """The organisation's contact reviews its entry without an account, by
    the e-mailed link: "nothing has changed" verifies it; changes wait for
    a lead. The link works for `link_days`."""
    partner = reviews.read_review_token(token)
    if partner is None:
        return render(request, "lms_partners/bad_link.html", status=400)
    context = {"partner": partner, "days": reviews.setting("link_days")}
    if request.method == "POST" and request.POST.get("action") == "unchanged":
        reviews.verify_unchanged(partner)
        return render(request, "lms_partners/reviewed.html", {**context, "sent": False})
    entry = reviews.entry_values(partner)
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, initial=entry)
    message = ReviewMessageForm(data)
    places = LocationFormSet(data, initial=entry["locations"], prefix="locations")
    services = ServiceFormSet(
        data,
        initial=entry["services"],
        prefix="services",
        form_kwargs={
            "places": [(row["id"], row["name"]) for row in entry["locations"]]
        },
    )
    # Each is checked, so that every error is shown at once.
    valid = [each.is_valid() for each in (form, message, places, services)]
    if data is not None and all(valid):
        proposed = {
            name: form.cleaned_data[name]
            for name in reviews.REVIEWED_FIELDS
            if name in form.cleaned_data
        }
        proposed.update(locations=places.rows(), services=services.rows())
        reviews.propose(partner, proposed, message.cleaned_data["message"])
        return render(request, "lms_partners/reviewed.html", {**context, "sent": True})
    context.update(form=form, places=places, services=services, message=message)
    status = 200 if data is None else 400
    return render(request, "lms_partners/review.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest, organisation: uuid.UUID) -> HttpResponse:
    """Anyone tells the leads something in a listed partner's entry is wrong
    or missing: it waits in their queue of corrections."""
    partner = listed_partners().filter(organisation__uuid=organisation).first()
    if partner is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = SuggestionForm(request.POST)
        if form.is_valid():
            if may_leave_message(request):
                Correction.objects.create(
                    partner=partner,
                    source=Correction.Source.VISITOR,
                    message=form.cleaned_data["message"],
                    reply_to=form.cleaned_data["reply_to"],
                )
                messages.success(
                    request, _("Thank you: the coordinators will check it.")
                )
                return redirect(request.path)
            form.add_error(None, _("Too many messages from here: try again later."))
            status = 429
        else:
            status = 400
    else:
        form = SuggestionForm()
    return render(
        request,
        "lms_partners/suggest.html",
        {"partner": partner, "form": form},
        status=status,
    )


def shown_on_the_page(agreement, today):
    """An agreement with what the coalition page shows of it: its standing,
    and a link to its guide as the site's own pages link."""
    agreement.standing_today = agreement.standing(today)
    agreement.guide_here = agreement.guide_url(full=False)
    return agreement


@login_required
@require_http_methods(["GET", "HEAD"])
def coalition_view(request: HttpRequest) -> HttpResponse:
    """The coalition for its leads: sector coverage, partners by status at
    the end of each of the four quarters before the period's last day, each
    partner's people's participation over the period (the last twelve months
    unless the lead picks days); as one XLSX, or the participation as CSV."""
    if not keeps_directory(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    period_form = CoalitionPeriod(request.GET, today)
    since, until = period_form.days()
    coverage = coalition.sector_coverage()
    agreed = coalition.agreements()
    tables = coalition.reports(
        coverage,
        coalition.status_over_time(coalition.quarter_ends(until)),
        coalition.participation(Period.of_days(since, until)),
        agreed,
        today,
    )
    download = request.GET.get("download")
    if period_form.is_valid() and download == "xlsx":
        content = reports_as_xlsx(tables)
        return private_download(content, f"coalition-{since}-{until}.xlsx", XLSX)
    if period_form.is_valid() and download == "csv":
        content = report_as_csv(tables[coalition.PARTICIPATION])
        name = f"coalition-participation-{since}-{until}.csv"
        return private_download(content, name, "text/csv; charset=utf-8")
    return render(
        request,
        "lms_partners/coalition.html",
        {
            "tables": tables,
            "period_form": period_form,
            "agreements": [shown_on_the_page(each, today) for each in agreed],
            "since": since,
            "until": until,
            "represented": sum(each.represented for each in coverage),
            "missing": [each.sector for each in coverage if not each.represented],
            "sectors": len(coverage),
        },
        status=200 if period_form.is_valid() else 400,
    )
