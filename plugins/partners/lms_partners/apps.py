from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from lms_partners.partner_map import geocoder_problems, tile_problems
from sdk import PluginConfig


class PartnersConfig(PluginConfig):
    name = "lms_partners"
    label = "partners"
    verbose_name = _("Partners and resource map")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
    default_settings = {
        # A listed entry not verified for this long is sent to the
        # organisation's contact to review.
        "review_after_days": 365,
        # How long the e-mailed review link works.
        "link_days": 30,
        # The directory's map: a tile server's address template (https, with
        # {z}, {x} and {y}) and the credit its terms ask for. Empty: no map,
        # the list alone (as in tests).
        "map_tiles": "",
        "map_attribution": "",
        # A Nominatim-compatible geocoder's search address (https): places of
        # listed partners saved without coordinates are looked up there.
        # Empty: nothing is looked up (as in tests).
        "geocoder_url": "",
    }

    def setting_problems(self, values):
        return tile_problems(values["map_tiles"]) + geocoder_problems(
            values["geocoder_url"]
        )

    def ready(self) -> None:
        super().ready()
        # Imported here: the models need the app registry ready.
        from lms_partners.geocoding import ask_when_saved
        from lms_partners.models import Location

        post_save.connect(
            ask_when_saved, sender=Location, dispatch_uid="partners-geocode-places"
        )
