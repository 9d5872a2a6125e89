from django import template
from wagtail.models import Site

from content.models import ProgramSettings
from lms.navigation import cached

register = template.Library()


@register.simple_tag(takes_context=True)
def program_settings(context) -> ProgramSettings | None:
    """The site's contact and support details, shown in every page's footer.

    E-mails, rendered without a request, get the default site's.
    """
    request = context.get("request")
    if request is not None:
        site = Site.find_for_request(request)
    else:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    return cached(f"program-settings:{site.pk}", lambda: ProgramSettings.for_site(site))
