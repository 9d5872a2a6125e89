"""The template tags and filters plugins may use: `{% load sdk_tags %}`.

Grouped by the library that defines each; plugins load this one name, which
stays when core's libraries move.
"""

from django import template

from cohorts.templatetags import people
from lms.templatetags import lms_tags

register = template.Library()

for name in ("day", "day_and_time", "full_date", "zone_name"):
    register.filters[name] = lms_tags.register.filters[name]

register.tags["shown_name"] = people.register.tags["shown_name"]
