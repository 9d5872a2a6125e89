from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from lms.spreadsheets import SafeExportIndexView
from newsletter.models import Subscriber


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Newsletter")
    add_to_admin_menu = True
    menu_order = 900
    index_view_class = SafeExportIndexView
    form_fields = ["email", "name", "language"]
    list_display = [
        "email",
        "name",
        "language",
        Column("status", label=_("Status")),
        DateColumn("created_at", label=_("Signed up")),
    ]
    list_filter = ["language", "confirmed_at", "unsubscribed_at"]
    search_fields = ["email", "name"]
    list_export = [
        "email",
        "name",
        "language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    export_filename = "newsletter-subscribers"


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return SubscriberViewSet("newsletter_subscribers")
