"""A person's inbox: the list, following one, marking all read, and the
choice of how they hear of each kind. Every change is a POST; a person
reaches only their own notifications (404 for anyone else's)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from notifications import inbox
from notifications.forms import NotificationChoicesForm
from notifications.models import Notification, NotificationPreference

NOTIFICATIONS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        Notification.objects.filter(recipient=request.user)
        .select_related("actor", "cohort")
        .prefetch_related("target"),
        NOTIFICATIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "items": page,
            "entries": inbox.entries(request.user, list(page)),
            "unread": inbox.unread_count(request.user),
            # A notification about no group is dated in the site's zone.
            "site_zone": settings.TIME_ZONE,
        },
    )


@login_required
@require_POST
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go to what it is about, if the person may still see it."""
    notification = inbox.read_one(request.user, notification_id)
    (entry,) = inbox.entries(request.user, [notification])
    if entry.url:
        return redirect(entry.url)
    messages.info(
        request, _("What this notification was about is no longer yours to see.")
    )
    return redirect("cohorts:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    inbox.mark_read(request.user, Notification.objects.all())
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("cohorts:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def notification_choices(request: HttpRequest) -> HttpResponse:
    """How the person hears of each kind of notification."""
    kinds = inbox.kinds()
    form = NotificationChoicesForm(
        request.POST or None, kinds=kinds, initial=inbox.choices_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for name, kind in kinds.items():
                delivery = form.cleaned_data[name]
                if delivery == kind.default_delivery:
                    NotificationPreference.objects.filter(
                        user=request.user, kind=name
                    ).delete()
                else:
                    NotificationPreference.objects.update_or_create(
                        user=request.user, kind=name, defaults={"delivery": delivery}
                    )
        messages.success(request, _("Your notification choices are saved."))
        return redirect("cohorts:notification_choices")
    return render(
        request,
        "notifications/notification_choices.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
