from django import template
from wagtail.models import Site

from content.filters import AppliedFilter
from content.filters import applied_filters as filters_applied
from content.form_errors import FormError, form_errors
from content.models import BrandSettings, ProgramSettings
from content.site import brand_settings as brand_of_site
from content.site import default_site
from content.site import program_settings as settings_of_site
from content.translation import in_locale

register = template.Library()


@register.simple_tag(takes_context=True)
def program_settings(context) -> ProgramSettings | None:
    """The site's contact and support details, shown in every page's footer.

    E-mails, rendered without a request, get the default site's.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else default_site()
    return settings_of_site(site)


@register.simple_tag(takes_context=True)
def page_form_errors(context) -> list[FormError]:
    """Every error of the page's forms: the base template's error summary lists
    them and its title starts with "Error:" when there are any."""
    return form_errors(context)


@register.simple_tag(takes_context=True)
def brand_settings(context) -> BrandSettings:
    """The site's logo and colours, drawn in every page's header."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else default_site()
    return brand_of_site(site)


@register.simple_tag
def applied_filters(filterset) -> list[AppliedFilter]:
    """What a filter form has narrowed the list to, for the line above it."""
    return filters_applied(filterset)


@register.filter
def in_language_of(pages, page) -> list:
    """`pages` (chosen on `page`, maybe in another language) as `page`'s
    language shows them: their live translations, or themselves."""
    pages = list(pages)
    shown = in_locale(pages, page.locale_id)
    return [shown[chosen.pk] for chosen in pages]
