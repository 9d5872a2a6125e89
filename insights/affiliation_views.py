"""Program leads confirm who belongs to which organisation (in the admin):
each affiliation a person asked for, confirmed to the organisation they
named or to the one a lead says the name meant (a new one if none), or
declined."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.permissions import ProgramLeadsPolicy
from lms.forms import DatabaseIdField
from lms.people import staff_label
from organisations import belonging
from organisations.models import Affiliation, Organisation

NEW = "new"


def _check(request: HttpRequest) -> None:
    if not ProgramLeadsPolicy(Affiliation).user_has_permission(request.user, "change"):
        raise PermissionDenied


class ConfirmForm(forms.Form):
    action = forms.ChoiceField(choices=[("confirm", "confirm"), ("decline", "decline")])
    organisation = forms.CharField(required=False)

    def clean_organisation(self) -> str:
        value = self.cleaned_data["organisation"]
        if value in ("", NEW):
            return value
        try:
            return Organisation.objects.get(pk=DatabaseIdField().clean(value))
        except (forms.ValidationError, Organisation.DoesNotExist) as error:
            raise forms.ValidationError(
                gettext_lazy("Choose an organisation from the list.")
            ) from error


@require_http_methods(["GET", "HEAD"])
def waiting(request: HttpRequest) -> HttpResponse:
    _check(request)
    asked = Affiliation.objects.filter(confirmed_at__isnull=True).select_related(
        "organisation", "user"
    )
    return TemplateResponse(
        request,
        "organisations/admin/waiting.html",
        {
            "admin_title": _("Who belongs where"),
            "admin_icon": "group",
            "asked": [(each, staff_label(each.user)) for each in asked],
            "organisations": Organisation.objects.all(),
            "new": NEW,
        },
    )


@require_POST
def decide(request: HttpRequest, affiliation_id: int) -> HttpResponse:
    _check(request)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an organisation from the list."))
        return redirect("affiliations:waiting")
    if form.cleaned_data["action"] == "decline":
        if belonging.decline(affiliation_id):
            messages.success(request, _("Declined."))
        return redirect("affiliations:waiting")
    asked = Affiliation.objects.filter(pk=affiliation_id).first()
    organisation = form.cleaned_data["organisation"] or (asked and asked.organisation)
    if organisation == NEW and asked is not None and asked.named:
        organisation = Organisation.objects.create(name=asked.named)
    if not isinstance(organisation, Organisation):
        messages.error(request, _("Choose an organisation from the list."))
        return redirect("affiliations:waiting")
    if belonging.confirm(affiliation_id, organisation, request.user) is None:
        messages.error(request, _("That was decided already."))
    else:
        messages.success(
            request, _("Confirmed: %(organisation)s.") % {"organisation": organisation}
        )
    return redirect("affiliations:waiting")
