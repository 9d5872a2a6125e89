from django import template
from wagtail.models import Page

from lms import navigation

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
