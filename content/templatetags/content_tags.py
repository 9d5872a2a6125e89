from django import template
from wagtail.models import Site

from content.models import ProgramSettings
from lms.navigation import cached

register = template.Library()


@register.simple_tag(takes_context=True)
def program_settings(context) -> ProgramSettings | None:
    """The site's contact and support details, shown in every page's footer."""
    request = context["request"]
    site = Site.find_for_request(request)
    if site is None:
        return None
    return cached(f"program-settings:{site.pk}", lambda: ProgramSettings.for_site(site))
