"""Time zones by the names people use ("Pacific time"), not the database's
("America/Los_Angeles")."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# The zones programs are likeliest to meet in; any other is named by its city.
ZONE_NAMES = {
    "America/New_York": _("Eastern time"),
    "America/Detroit": _("Eastern time"),
    "America/Chicago": _("Central time"),
    "America/Denver": _("Mountain time"),
    "America/Phoenix": _("Arizona time"),
    "America/Los_Angeles": _("Pacific time"),
    "America/Anchorage": _("Alaska time"),
    "Pacific/Honolulu": _("Hawaii time"),
    "America/Puerto_Rico": _("Atlantic time"),
    "America/Mexico_City": _("Mexico City time"),
    "Europe/London": _("UK time"),
    "UTC": _("UTC"),
}


def zone_name(zone: str):
    """The zone's everyday name, translated when shown (lazy), e.g. for an
    e-mail built before its reader's language is switched on."""
    if zone in ZONE_NAMES:
        return ZONE_NAMES[zone]
    place = zone.rsplit("/", 1)[-1].replace("_", " ")
    return format_lazy(_("{place} time"), place=place)
