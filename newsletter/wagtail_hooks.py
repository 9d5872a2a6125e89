from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet

from lms.spreadsheets import SafeExportIndexView
from newsletter.models import Subscriber, managed_sites, subscribers_for


class OwnListOnly:
    """A chapter's leads reach their chapter's list only: in the listing
    and its export, behind edit and delete, and among the form's sites."""

    def get_queryset(self):
        return super().get_queryset() & subscribers_for(self.request.user)

    def get_base_object_queryset(self):
        return super().get_base_object_queryset() & subscribers_for(self.request.user)

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        sites = managed_sites(self.request.user)
        if sites is not None and "site" in form.fields:
            form.fields["site"].queryset = sites
            form.fields["site"].required = True
        return form


class SubscriberIndexView(OwnListOnly, SafeExportIndexView):
    pass


class SubscriberCreateView(OwnListOnly, CreateView):
    pass


class SubscriberEditView(OwnListOnly, EditView):
    pass


class SubscriberDeleteView(OwnListOnly, DeleteView):
    pass


class SubscriberHistoryView(OwnListOnly, HistoryView):
    pass


class SubscriberUsageView(OwnListOnly, UsageView):
    pass


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Newsletter")
    add_to_admin_menu = True
    menu_order = 900
    index_view_class = SubscriberIndexView
    add_view_class = SubscriberCreateView
    edit_view_class = SubscriberEditView
    delete_view_class = SubscriberDeleteView
    history_view_class = SubscriberHistoryView
    usage_view_class = SubscriberUsageView
    # Copying would open another chapter's sign-up by id.
    copy_view_enabled = False
    form_fields = ["email", "name", "language", "site"]
    list_display = [
        "email",
        "name",
        "language",
        "site",
        Column("status", label=_("Status")),
        DateColumn("created_at", label=_("Signed up")),
    ]
    list_filter = ["site", "language", "confirmed_at", "unsubscribed_at"]
    search_fields = ["email", "name"]
    list_export = [
        "email",
        "name",
        "language",
        "site",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    export_filename = "newsletter-subscribers"


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return SubscriberViewSet("newsletter_subscribers")
