"""Public Open Badges 2.0 documents: issuer, badge classes, assertions."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from content.models import CoursePage
from learning import badges
from learning.models import Certificate

JSON_LD = "application/ld+json"


def _document(build, *args) -> JsonResponse:
    # One language for documents that verifiers compare byte for byte.
    with translation.override(settings.LANGUAGE_CODE):
        return JsonResponse(build(*args), content_type=JSON_LD)


def issuer(request: HttpRequest) -> JsonResponse:
    return _document(badges.issuer)


def badge_class(request: HttpRequest, course_id: int) -> JsonResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    return _document(badges.badge_class, course)


def image(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    svg = render_to_string("learning/badge.svg", {"course": course})
    return HttpResponse(svg, content_type="image/svg+xml")


def assertion(request: HttpRequest, code: str) -> JsonResponse:
    certificate = Certificate.objects.select_related("user").filter(code=code).first()
    if certificate is None or certificate.course_id is None:
        raise Http404(_("No badge has this code."))
    return _document(badges.assertion, certificate)
