from django import template

from cohorts.program_names import program_name as name_in_language

register = template.Library()


@register.filter
def program_name(program) -> str:
    """The program's name in the page's language."""
    return name_in_language(program) if program else ""
