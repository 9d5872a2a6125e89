from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from lms.throttle import may_send_mail
from newsletter import services
from newsletter.forms import SubscribeForm
from newsletter.models import Subscriber
from newsletter.tokens import (
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    read_token,
)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SubscribeForm(request.POST, auto_id="page-%s")
        if form.is_valid():
            # Throttled or not, the same answer: it tells nothing of the address.
            if may_send_mail(request, form.cleaned_data["email"]):
                services.subscribe(
                    **{k: form.cleaned_data[k] for k in ("email", "name", "language")},
                    site=_list_of(request),
                )
            return redirect("newsletter:check_inbox")
        status = 400
    else:
        form = SubscribeForm(initial={"language": request.LANGUAGE_CODE})
        status = 200
    return render(request, "newsletter/subscribe.html", {"form": form}, status=status)


def _list_of(request: HttpRequest) -> Site | None:
    """Whose list a sign-up joins: the site it was made on (a chapter's);
    None for the main site's, the network's own list."""
    site = Site.find_for_request(request)
    return None if site is None or site.is_default_site else site


def check_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/check_inbox.html")


def _token_view(request, token, *, salt, max_age, action, template):
    """GET asks for a click; POST acts. Mail scanners follow links but never post."""
    subscriber_id = read_token(token, salt, max_age)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return render(
            request,
            "bad_link.html",
            {
                "retry_url": reverse("newsletter:subscribe"),
                "retry_label": _("Sign up again"),
            },
            status=400,
        )
    if request.method == "POST":
        action(subscriber)
        return render(request, template, {"subscriber": subscriber, "done": True})
    return render(request, template, {"subscriber": subscriber, "done": False})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _token_view(
        request,
        token,
        salt=CONFIRM_SALT,
        max_age=CONFIRM_MAX_AGE,
        action=services.confirm,
        template="newsletter/confirm.html",
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return _token_view(
        request,
        token,
        salt=UNSUBSCRIBE_SALT,
        max_age=None,
        action=services.unsubscribe,
        template="newsletter/unsubscribe.html",
    )
