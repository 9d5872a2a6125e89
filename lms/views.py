from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lms.panels import render_panels


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The participant's own page: panels from core apps and plugins."""
    return render(request, "lms/dashboard.html", {"panels": render_panels(request)})
