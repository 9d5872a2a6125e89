"""The design system's pattern page: every component, as the site draws it."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from wagtail.models import Site

from content.site import brand_settings


class ExampleForm(forms.Form):
    """A form shown with its errors, for the error summary."""

    name = forms.CharField(label=_("Your name"))
    email = forms.EmailField(label=_("E-mail address"))


def patterns(request: HttpRequest) -> HttpResponse:
    """/patterns/: development only, so it 404s unless DEBUG is on (checked per
    request, so the browser tests can turn it on for their live server)."""
    if not settings.DEBUG:
        raise Http404
    form = ExampleForm({"name": "", "email": "not an address"})
    form.is_valid()
    now = timezone.now()
    return render(
        request,
        "content/patterns.html",
        {
            "form": form,
            "moment": now + timedelta(days=2),
            # Any object with a title and bars (label, value, percent).
            "chart": {
                "title": _("Attendance (%)"),
                "bars": [
                    {
                        "label": _("A group with a long name, read whole"),
                        "value": 62,
                        "percent": 62,
                    },
                    {"label": "Grace Okafor", "value": 120, "percent": 100},
                    {"label": _("Nobody yet"), "value": 0, "percent": 0},
                ],
            },
            "rows": [
                (_("Name"), "Grace Okafor"),
                (_("E-mail address"), "grace@example.org"),
                (_("Language"), "English"),
            ],
        },
    )


@cache_control(public=True, max_age=365 * 24 * 3600, immutable=True)
def brand_stylesheet(request: HttpRequest) -> HttpResponse:
    """The site's brand colours as the design system's custom properties.

    Pages link it with its version in the address, so it may be kept for good.
    """
    brand = brand_settings(Site.find_for_request(request))
    return HttpResponse(brand.stylesheet, content_type="text/css; charset=utf-8")
