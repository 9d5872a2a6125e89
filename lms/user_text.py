"""Text people write on the site (posts, answers, notes), shown as HTML safely.

Markdown is turned into HTML by markdown-it-py with raw HTML switched off, and
the result goes through nh3 (a maintained sanitiser, Rust's ammonia) with a
short list of tags: whatever the Markdown parser lets through, the page only
ever gets these tags, these attributes and these link schemes. Images are
kept only when they come from this site (a path such as `/media/…` or a
group's file view): a picture from elsewhere would tell another server who
read the post, and when.
"""

from html import unescape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

MARKDOWN = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
)

TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "img", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Headings a post writes (`# Title`) sit under the page's own h1 and h2.
HEADING_SHIFT = {"h1": "h3", "h2": "h4"}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        same_site = value.startswith("/") and not value.startswith("//")
        return value if same_site else None
    return value


def render_markdown(text: str) -> SafeString:
    """The HTML for a person's Markdown, safe to put in a page as it is."""
    html = MARKDOWN.render(text or "")
    for written, shown in HEADING_SHIFT.items():
        html = html.replace(f"<{written}>", f"<{shown}>").replace(
            f"</{written}>", f"</{shown}>"
        )
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just cleaned it


def plain_text(text: str) -> str:
    """The words of a person's Markdown without markup (e-mails, previews)."""
    return unescape(nh3.clean(MARKDOWN.render(text or ""), tags=set())).strip()
