"""Announcements in the admin, in the Cohorts menu beside sessions and
memberships, scoped to the groups the person manages."""

from django.utils.translation import gettext_lazy as _

from cohorts.wagtail_hooks import (
    ScopedCreateView,
    ScopedViewSet,
    cohort_admin_viewsets,
)
from notifications.emails import post_announcement
from notifications.models import Announcement


class AnnouncementCreateView(ScopedCreateView):
    """Posting from the admin e-mails members exactly as posting on the site."""

    def save_instance(self):
        data = self.form.cleaned_data
        return post_announcement(
            data["cohort"], self.request.user, data["subject"], data["body"]
        )


class AnnouncementViewSet(ScopedViewSet):
    model = Announcement
    name = "cohort_announcements"
    url_prefix = "cohorts/announcements"
    icon = "mail"
    menu_label = _("Announcements")
    add_view_class = AnnouncementCreateView
    form_fields = ["cohort", "subject", "body"]
    list_display = ["subject", "cohort", "author", "created_at"]
    list_filter = ["cohort"]
    search_fields = ["subject", "body"]


cohort_admin_viewsets.append(AnnouncementViewSet)
