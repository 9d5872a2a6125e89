"""The bell in the site's header: the signed-in person's unread count."""

from django import template

from notifications.inbox import unread_count

register = template.Library()


@register.inclusion_tag("notifications/includes/bell.html", takes_context=True)
def inbox_bell(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "unread": unread_count(user),
        "current": getattr(request.resolver_match, "url_name", "") == "inbox",
    }
