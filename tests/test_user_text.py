"""What people write is shown as Markdown, and never as their own HTML."""

from html.parser import HTMLParser

import pytest

from sdk import plain_text, render_markdown

pytestmark = pytest.mark.backend_independent


@pytest.mark.parametrize(
    "written",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](https://tracker.example/pixel.png)",
        "![x](//tracker.example/pixel.png)",
        '<iframe src="https://example.com"></iframe>',
        "<style>body{display:none}</style>",
        '<p style="position:fixed">x</p>',
    ],
)
def test_hostile_text_keeps_nothing_active(written):
    # Escaped, the words may stay (`&lt;script&gt;` is text); no element or
    # attribute that does anything may.
    tags = _elements(render_markdown(written))
    for tag, attributes in tags:
        assert tag in {"p", "a", "img"}, tags
        for name, value in attributes:
            assert name in {"href", "src", "alt", "rel"}, tags
            assert not (value or "").lower().startswith(
                ("javascript:", "data:", "//", "http")
            ) or (name == "href" and value.startswith("https://")), tags


def _elements(html):
    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_markdown_becomes_the_tags_it_names():
    html = render_markdown(
        "# Our plan\n\nWe **meet** on *Tuesday*.\n\n> quoted\n\n- one\n- two\n\n"
        "[agenda](https://example.org/agenda) ![map](/media/map.png)"
    )
    assert "<h3>Our plan</h3>" in html  # under the page's own headings
    assert "<strong>meet</strong>" in html and "<em>Tuesday</em>" in html
    assert "<blockquote>" in html and "<li>two</li>" in html
    assert 'href="https://example.org/agenda"' in html
    assert 'rel="nofollow ugc noopener noreferrer"' in html
    assert 'src="/media/map.png"' in html


def test_plain_text_gives_the_words():
    assert (
        plain_text("**Bring** *snacks* & <b>water</b>") == "Bring snacks & <b>water</b>"
    )
    assert plain_text("") == ""
