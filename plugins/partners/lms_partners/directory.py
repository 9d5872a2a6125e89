"""The public directory: a Wagtail page a lead places in the site (so it is
in the navigation, translated, and kept by the page cache like any page),
listing the partners who agreed to be listed, with a page for each."""

from django.db import models
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from lms_partners import partner_map
from lms_partners.filters import PartnerFilter
from lms_partners.models import Partner, Sector
from sdk import filter_and_paginate, in_active_language


def listed_partners() -> models.QuerySet:
    """Partners shown to anyone: those who did not ask to stay unlisted."""
    return (
        Partner.objects.filter(listed=True)
        .select_related("organisation")
        .order_by(Lower("organisation__name"), "pk")
    )


def sectors_shown(partners: list[Partner]) -> dict[int, list[Sector]]:
    """Each partner's sectors in the active language (a partner may have been
    filed under another language's rows), in one query for them all."""
    keys = {
        sector.translation_key
        for partner in partners
        for sector in partner.sectors.all()
    }
    here = {
        sector.translation_key: sector
        for sector in in_active_language(
            Sector.objects.filter(translation_key__in=keys)
        )
    }
    return {
        partner.pk: sorted(
            (
                here.get(sector.translation_key, sector)
                for sector in partner.sectors.all()
            ),
            key=lambda sector: sector.name.casefold(),
        )
        for partner in partners
    }


class PartnerDirectoryPage(RoutablePageMixin, Page):
    """Every listed partner, filterable by sector, what it offers, area and
    language, and searchable; each partner's page below it."""

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    template = "lms_partners/directory_page.html"
    max_count_per_parent = 1

    intro = models.TextField(gettext_lazy("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = gettext_lazy("partner directory")

    def get_context(self, request, *args, with_listing: bool = True, **kwargs):
        """The listing, filtered and paginated, with its map; a partner's own
        page (`with_listing=False`) needs none of it."""
        context = super().get_context(request, *args, **kwargs)
        if not with_listing:
            return context
        listing = filter_and_paginate(
            request,
            PartnerFilter,
            listed_partners().prefetch_related("sectors", "areas", "locations"),
        )
        partners = list(listing["items"])
        shown = sectors_shown(partners)
        context.update(listing)
        context["entries"] = [
            (partner, shown[partner.pk], self.partner_url(partner))
            for partner in partners
        ]
        tiles = partner_map.tiles()
        if tiles:
            # Only the listing draws the map: only it lets the tiles in.
            request.partner_map_origin = partner_map.tile_origin(tiles)
            context["map"] = {
                "tiles": tiles,
                "attribution": partner_map.attribution(),
                "markers": partner_map.markers(context["entries"]),
                "zoom_in": _("Zoom in"),
                "zoom_out": _("Zoom out"),
            }
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        origin = getattr(request, "partner_map_origin", None)
        if origin:
            response._csp_update = {"img-src": [origin]}
        return response

    def partner_url(self, partner: Partner) -> str:
        return self.url + self.reverse_subpage(
            "partner", args=[partner.organisation.slug]
        )

    @path("<slug:slug>/", name="partner")
    def partner(self, request: HttpRequest, slug: str) -> HttpResponse:
        found = (
            listed_partners()
            .filter(organisation__slug=slug)
            .select_related("logo")
            .prefetch_related("sectors", "areas", "services__where", "locations")
            .first()
        )
        if found is None:
            raise Http404
        return self.render(
            request,
            with_listing=False,
            context_overrides={
                "partner": found,
                "sectors": sectors_shown([found])[found.pk],
            },
            template="lms_partners/partner_page.html",
        )
