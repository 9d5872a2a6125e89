from django import template
from django.utils.translation import get_language

from newsletter.forms import SubscribeForm

register = template.Library()


@register.simple_tag
def newsletter_form() -> SubscribeForm:
    return SubscribeForm(initial={"language": get_language()}, auto_id="footer-%s")
