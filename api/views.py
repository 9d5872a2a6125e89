"""A person's personal access tokens on the site: made (the token shown
once), listed with when each was last used, revoked."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api import tokens
from api.models import TokenTerms
from cohorts.permissions import runs_anything
from lms.forms import PlainTextForm, TickBox

# Worded in the language of the request that shows it, not of the import.
days_label = lazy(lambda days: _("%(days)s days") % {"days": days}, str)


class TokenForm(PlainTextForm, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What it is for, e.g. “our CRM”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("It may"),
        choices=TokenTerms.Scope.choices,
        initial=TokenTerms.Scope.READ,
        widget=forms.RadioSelect,
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("It lasts"),
        coerce=int,
        choices=[(days, days_label(days)) for days in tokens.LIFETIMES],
        initial=90,
    )
    staff = TickBox(
        label=TokenTerms._meta.get_field("staff").verbose_name,
        help_text=TokenTerms._meta.get_field("staff").help_text,
        required=False,
    )

    def __init__(self, *args, offers_staff_rights: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not offers_staff_rights:
            del self.fields["staff"]


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    offers_staff_rights = runs_anything(request.user)
    form = TokenForm(request.POST or None, offers_staff_rights=offers_staff_rights)
    made = None
    if request.method == "POST" and form.is_valid():
        _token, made = tokens.create_token(
            request.user,
            form.cleaned_data["name"],
            form.cleaned_data["scope"],
            form.cleaned_data["days"],
            staff=form.cleaned_data.get("staff", False),
        )
        form = TokenForm(offers_staff_rights=offers_staff_rights)
    return TemplateResponse(
        request,
        "api/tokens.html",
        {"form": form, "made": made, "tokens": tokens.tokens_of(request.user)},
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if not tokens.revoke(request.user, token_id):
        raise Http404(_("You have no such token."))
    messages.success(request, _("Revoked: it no longer works."))
    return redirect("api_tokens")
