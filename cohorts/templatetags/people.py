"""`{% shown_name person cohort to_staff %}`: templates of core and plugins
name members through cohorts.privacy, so the youth rule lives in one place."""

from django import template

from cohorts import privacy

register = template.Library()


@register.simple_tag
def shown_name(person, cohort, to_staff=False) -> str:
    """A member's name as the viewer may see it (first names in youth groups)."""
    return privacy.shown_name(person, cohort, to_staff=bool(to_staff))
