from django import template
from django.utils.timezone import template_localtime
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


@register.filter
def day(moment):
    return dates.day(template_localtime(moment))


@register.filter
def day_and_time(moment):
    return dates.day_and_time(template_localtime(moment))


@register.filter
def full_date(moment):
    return dates.full_date(template_localtime(moment))
