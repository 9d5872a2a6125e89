"""Mentions: a person named in a post with `@`, and told of it.

The author writes (and edits) a mention as `@[Name](<id>)`, which is what
the suggestion list under the text box inserts. A post keeps `@[](<id>)`:
the person's id and no name, because the name differs by reader (a youth
member is a first name to other members, a full name to the group's staff)
and a post's stored words are searched, quoted and exported. Whatever shows
a post writes each name in again, as that reader may see it; a place that
forgot would show `@[](12)`, never a name it should not.
"""

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms_discussions.access import (
    Seat,
    is_new_here,
    mentionable,
    nameable,
    setting,
)
from sdk import plain_text, render_markdown

# ASCII digits only: `\d` would read other scripts' digits as an id.
WRITTEN = re.compile(r"@\[([^\[\]\n]{0,100})\]\(([0-9]{1,12})\)")
# Stand-ins the Markdown renderer and the sanitiser pass through as text;
# the author's own text never holds them (they are taken out first).
OPEN, CLOSE = "\ue000", "\ue001"
STAND_IN = re.compile(f"{OPEN}([0-9]{{1,6}}){CLOSE}")


def mentioned(text: str) -> list[int]:
    """The ids of the people the text mentions, each once, in order."""
    return list(dict.fromkeys(int(match[2]) for match in WRITTEN.finditer(text)))


def stored(text: str) -> str:
    """The text as a post keeps it: each mention without its name."""
    return WRITTEN.sub(lambda match: f"@[]({match[2]})", text)


def written(text: str, names: dict[int, str]) -> str:
    """The text for its author to edit, each mention with its name."""

    def named(match: re.Match) -> str:
        name = re.sub(r"[\[\]\n]", "", names.get(int(match[2]), ""))
        return f"@[{name}]({match[2]})"

    return WRITTEN.sub(named, text)


def names_for(seat: Seat, texts: Iterable[str]) -> dict[int, str]:
    """Each person the texts mention, named as the reader in `seat` may see
    them: one query for any number of texts. Someone erased since, or whom
    the space may not name (`access.nameable`), is not there, and is shown
    as a former member."""
    ids = {person for text in texts for person in mentioned(text or "")}
    if not ids:
        return {}
    people = get_user_model().objects.filter(pk__in=ids).filter(nameable(seat.space))
    return {person.pk: seat.name(person) for person in people}


def _with_stand_ins(text: str) -> tuple[str, list[int]]:
    people: list[int] = []

    def stand_in(match: re.Match) -> str:
        people.append(int(match[2]))
        return f"{OPEN}{len(people) - 1}{CLOSE}"

    text = (text or "").replace(OPEN, "").replace(CLOSE, "")
    return WRITTEN.sub(stand_in, text), people


def _name(people: list[int], names: dict[int, str], seat: Seat, index: str) -> str:
    """The name for a stand-in; none for one the author wrote themselves
    (as an HTML entity, which the Markdown turns into the character)."""
    if int(index) >= len(people):
        return ""
    person = people[int(index)]
    return "@" + (names[person] if person in names else seat.name(None))


def shown_html(text: str, names: dict[int, str], seat: Seat) -> SafeString:
    """The post's HTML for one reader, each mention a bold `@Name`.

    The names go in after the sanitiser, escaped; the markup around them
    has no quote, so even a stand-in the Markdown put in an attribute (an
    image's description) stays inside it."""
    placed, people = _with_stand_ins(text)
    html = render_markdown(placed)

    def mention(match: re.Match) -> str:
        name = _name(people, names, seat, match[1])
        return format_html("<strong class=mention>{}</strong>", name) if name else ""

    return mark_safe(STAND_IN.sub(mention, html))  # noqa: S308 - names escaped


def shown_preview(text: str, names: dict[int, str], seat: Seat) -> str:
    """The start of the post's words alone (a quote), mentions named."""
    placed, people = _with_stand_ins(text)
    words = STAND_IN.sub(
        lambda match: _name(people, names, seat, match[1]), plain_text(placed)
    )
    return Truncator(words).words(40)


def refused(seat: Seat, author, text: str, before: str = "") -> str | None:
    """Why the text cannot be posted for its mentions, if it cannot: someone
    who is not in the space (or no longer active), or more people than a
    new member may mention in one post. `before`: every text the post had
    until this edit, whose mentions were allowed already (and count against
    a new member's few)."""
    people = set(mentioned(text)) - {author.pk}
    earlier = set(mentioned(before)) - {author.pk}
    added = people - earlier
    if not added:
        return None
    found = (
        get_user_model()
        .objects.filter(pk__in=added)
        .filter(mentionable(seat.space, author))
        .count()
    )
    if found < len(added):
        return _(
            "You can mention only people in this space: choose them from the "
            "list that opens as you type @ and a name."
        )
    limit = setting("new_member_mentions")
    if len(people | earlier) > limit and is_new_here(seat, author):
        return ngettext(
            "In your first days here, a post can mention %(count)s person.",
            "In your first days here, a post can mention up to %(count)s people.",
            limit,
        ) % {"count": limit}
    return None
