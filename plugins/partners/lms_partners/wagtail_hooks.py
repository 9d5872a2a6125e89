"""The admin: partners (with their services and places), sectors and areas
under one menu item, for leads and superusers."""

from django import forms
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets.button import Button
from wagtail.models import Locale
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from lms_partners import admin_views, reviews
from lms_partners.access import keeps_directory
from lms_partners.models import Area, Location, Partner, Sector
from sdk import (
    Organisation,
    PermittedChooserViewSet,
    PermittedDeleteBulkAction,
    ProgramLeadsPolicy,
    SafeExportMixin,
    organisation_named,
)


class PartnerForm(WagtailAdminModelForm):
    """A partner's entry with its organisation's name and website: one form,
    though the organisation is core's (shared with the rest of the site)."""

    name = forms.CharField(label=_("name"), max_length=200)
    website = forms.URLField(
        label=_("website"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "website"):
            self.fields[name].label = capfirst(self.fields[name].label)
        # A partner is filed under the sectors of the site's main language;
        # the directory shows each visitor their language's names.
        self.fields["sectors"].queryset = Sector.objects.filter(
            locale=Locale.get_default()
        )
        # A service is offered at this partner's saved locations, no other's:
        # its forms, the blank one for a new service included, offer them.
        services = self.formsets["services"]
        services.form = offered_at(
            services.form, Location.objects.filter(partner_id=self.instance.pk or 0)
        )
        organisation = getattr(self.instance, "organisation", None)
        if self.instance.pk and organisation is not None:
            self.initial.setdefault("name", organisation.name)
            self.initial.setdefault("website", organisation.website)

    def save(self, commit=True):
        partner = self.instance
        organisation = (
            partner.organisation
            if partner.organisation_id
            else self.organisation_without_an_entry() or Organisation()
        )
        organisation.name = self.cleaned_data["name"]
        organisation.website = self.cleaned_data["website"]
        organisation.save()
        partner.organisation = organisation
        return super().save(commit=commit)

    def organisation_without_an_entry(self) -> Organisation | None:
        """The site's organisation of the name typed, when it has no entry
        yet (it co-hosted a session, or people said they belong to it): the
        partner is that organisation, with what was counted for it so far."""
        without_an_entry = Organisation.objects.exclude(
            pk__in=Partner.objects.values("organisation")
        )
        return organisation_named(self.cleaned_data["name"], among=without_an_entry)


def offered_at(service_form: type[forms.Form], locations) -> type[forms.Form]:
    """`service_form` choosing its service's locations among `locations`."""

    class ServiceForm(service_form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["where"].queryset = locations

    return ServiceForm


class PartnerIndexView(SafeExportMixin, IndexView):
    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("The coalition: sectors, status over time, participation"),
                url=reverse("partners:coalition"),
                icon_name="table",
                priority=100,
            ),
            Button(
                _("Download the directory in Open Referral's format (HSDS)"),
                url=reverse("partners:hsds_export"),
                icon_name="download",
                priority=110,
            ),
        ]


class PartnerViewSet(SnippetViewSet):
    model = Partner
    chooser_viewset_class = PermittedChooserViewSet
    index_view_class = PartnerIndexView
    list_export = ["__str__", "status", "status_since", "listed", "last_verified"]
    icon = "group"
    menu_label = _("Partners")
    list_display = ["__str__", "status", "listed", "last_verified"]
    list_filter = ["status", "listed"]
    search_fields = ["description"]
    ordering = ["organisation__name"]
    edit_handler_panels = [
        FieldPanel("name"),
        FieldPanel("website"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("logo_alt")], heading=_("Logo")
        ),
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("languages"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("status_since")],
            heading=_("Partnership"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("Public contact"),
        ),
        FieldPanel("listed"),
        FieldPanel("last_verified"),
        FieldPanel("notes"),
        InlinePanel(
            "services",
            label=_("Services"),
            panels=[
                FieldPanel("name"),
                FieldPanel("kind"),
                FieldPanel("who_for"),
                FieldPanel("languages"),
                FieldPanel("description"),
                FieldPanel("where", widget=forms.CheckboxSelectMultiple),
            ],
        ),
        InlinePanel(
            "locations",
            label=_("Locations"),
            panels=[
                FieldPanel("name"),
                FieldPanel("address"),
                FieldPanel("city"),
                FieldPanel("region"),
                FieldPanel("postal_code"),
                FieldPanel("opening_hours"),
                FieldPanel("accessible_entrance"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
        ),
        InlinePanel(
            "agreements",
            label=_("Partnership agreements"),
            help_text=_("Internal: only leads see them, never the directory."),
            panels=[
                FieldPanel("title"),
                FieldPanel("signed_on"),
                FieldPanel("renew_by"),
                FieldPanel("guide"),
                FieldPanel("step"),
            ],
        ),
    ]
    edit_handler = ObjectList(edit_handler_panels, base_form_class=PartnerForm)


class SectorViewSet(SnippetViewSet):
    model = Sector
    chooser_viewset_class = PermittedChooserViewSet
    icon = "tag"
    menu_label = _("Sectors")
    panels = [FieldPanel("name"), FieldPanel("slug")]


class AreaViewSet(SnippetViewSet):
    model = Area
    chooser_viewset_class = PermittedChooserViewSet
    icon = "site"
    menu_label = _("Areas served")
    panels = [FieldPanel("name")]


class PartnersGroup(SnippetViewSetGroup):
    items = (PartnerViewSet, SectorViewSet, AreaViewSet)
    menu_icon = "group"
    menu_label = _("Partners")
    menu_name = "partners"


class PartnersDeleteBulkAction(PermittedDeleteBulkAction):
    models = [Partner, Sector, Area]


# The coalition's leads keep the directory. Facilitators reach the admin
# too: its chooser and "delete selected" would list unlisted partners' names
# to them, so both list nothing to anyone but leads.
for model in (Partner, Sector, Area):
    register_permission_policy(model, ProgramLeadsPolicy(model))
register_snippet(PartnersGroup)
# After Wagtail's own "delete selected" for snippets, which it replaces here.
hooks.register("register_bulk_action", PartnersDeleteBulkAction, order=1)


class LeadsMenuItem(MenuItem):
    def is_shown(self, request):
        return keeps_directory(request.user)


@hooks.register("register_admin_urls")
def corrections_urls():
    patterns = [
        path("", admin_views.queue, name="index"),
        path("<int:correction_id>/", admin_views.decide, name="decide"),
    ]
    return [
        path(
            "partners/corrections/",
            include((patterns, "partner_corrections"), namespace="partner_corrections"),
        )
    ]


@hooks.register("register_admin_menu_item")
def corrections_menu_item():
    return LeadsMenuItem(
        _("Partner corrections"),
        reverse("partner_corrections:index"),
        icon_name="comment",
        order=260,
    )


# A lead's save sets when the entry is next due for review.
@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def review_when_due(request, instance):
    if isinstance(instance, Partner):
        reviews.schedule_review(instance)
