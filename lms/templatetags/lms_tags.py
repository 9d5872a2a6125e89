from django import template
from django.utils.timezone import template_localtime
from wagtail.models import Page

from lms import dates, navigation, timezones

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[navigation.LanguageLink]:
    """Links to this page in each language. A view of its own (a group's
    course, say) names its group as `page` but has its own URL in each
    language, so only a page Wagtail serves is looked up among translations."""
    request = context["request"]
    page = context.get("page")
    served_by_wagtail = (
        getattr(request.resolver_match, "url_name", None) == "wagtail_serve"
    )
    return navigation.language_links(
        request, page if served_by_wagtail and isinstance(page, Page) else None
    )


@register.simple_tag(takes_context=True)
def menu_pages(context) -> list[navigation.MenuItem]:
    return navigation.menu(context["request"])


@register.filter
def zone_name(zone: str) -> str:
    """'America/Los_Angeles' -> 'Pacific time'."""
    return str(timezones.zone_name(zone))


@register.filter
def day(moment):
    """A date or time as its day, in the reader's time zone ('Thu 3 Dec')."""
    return dates.day(template_localtime(moment))


@register.filter
def day_and_time(moment):
    """A time with its day, in the reader's time zone ('Thu 3 Dec, 18:30')."""
    return dates.day_and_time(template_localtime(moment))


@register.filter
def full_date(moment):
    """A date in full, in the reader's time zone ('3 December 2026')."""
    return dates.full_date(template_localtime(moment))
