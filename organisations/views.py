"""A person's organisations: which they belong to, as they said and as a
lead confirmed; saying so for another; leaving one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisations import belonging
from organisations.forms import BelongForm, LeaveForm
from organisations.models import Affiliation


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def yours(request: HttpRequest) -> HttpResponse:
    status = 200
    form = BelongForm()
    if request.method == "POST" and request.POST.get("action") == "leave":
        leaving = LeaveForm(request.POST)
        if leaving.is_valid() and belonging.leave(
            request.user, leaving.cleaned_data["affiliation"]
        ):
            messages.success(request, _("You no longer belong to it here."))
            return redirect("organisations:yours")
        messages.error(request, _("That is not one of your organisations."))
        status = 400
    elif request.method == "POST":
        form = BelongForm(request.POST)
        if form.is_valid():
            belonging.ask_to_belong(
                request.user, form.cleaned_data["name"], form.cleaned_data["role"]
            )
            messages.success(
                request,
                _("Added. It counts once a program lead confirms it."),
            )
            return redirect("organisations:yours")
        status = 400
    affiliations = Affiliation.objects.filter(user=request.user).select_related(
        "organisation"
    )
    return render(
        request,
        "organisations/yours.html",
        {"affiliations": affiliations, "form": form},
        status=status,
    )
