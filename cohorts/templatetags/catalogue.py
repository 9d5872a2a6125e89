from django import template

from cohorts import catalogue

register = template.Library()


@register.filter
def meets_in(language: str) -> str:
    """'es' -> 'Meets in Spanish', in the active language."""
    return str(catalogue.meets_in(language))
