from django import template
from wagtail.models import Page

from lms import dates, navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[navigation.LanguageLink]:
    page = context.get("page")
    return navigation.language_links(
        context["request"], page if isinstance(page, Page) else None
    )


@register.simple_tag(takes_context=True)
def menu_pages(context) -> list[navigation.MenuItem]:
    return navigation.menu(context["request"])


register.filter("day", dates.day)
register.filter("day_and_time", dates.day_and_time)
register.filter("full_date", dates.full_date)
