from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from lms.panels import render_panels


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The participant's own page: panels from core apps and plugins."""
    return render(request, "lms/dashboard.html", {"panels": render_panels(request)})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says (the admin's pages
    too); without it every page logs a 404."""
    return redirect(static("content/favicon.svg"))
