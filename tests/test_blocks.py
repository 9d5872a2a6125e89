import pytest
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from content.blocks import AccessibleImageBlock, BodyBlock, CallToActionBlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return Image.objects.create(title="Circle", file=get_test_image_file())


def clean_image_block(**value):
    block = AccessibleImageBlock()
    return block.clean(block.to_python(value))


def test_informative_image_needs_alt_text(image):
    with pytest.raises(StructBlockValidationError) as error:
        clean_image_block(image=image.pk, alt_text="  ", decorative=False)
    assert "alt_text" in error.value.block_errors


def test_decorative_image_renders_empty_alt(image):
    value = clean_image_block(image=image.pk, alt_text="", decorative=True)
    html = AccessibleImageBlock().render(value)
    assert 'alt=""' in html


def test_alt_text_is_rendered(image):
    value = clean_image_block(image=image.pk, alt_text="Six people around a table")
    assert 'alt="Six people around a table"' in AccessibleImageBlock().render(value)


@pytest.mark.parametrize(
    ("page", "url", "valid"),
    [
        (False, "", False),
        (True, "https://example.org", False),
        (False, "https://x.org", True),
    ],
)
def test_call_to_action_needs_exactly_one_destination(home_page, page, url, valid):
    block = CallToActionBlock()
    value = block.to_python(
        {
            "title": "Join",
            "text": "",
            "button_label": "Go",
            "page": home_page.pk if page else None,
            "url": url,
        }
    )
    if valid:
        block.clean(value)
    else:
        with pytest.raises(StructBlockValidationError):
            block.clean(value)


def test_accordion_works_without_javascript():
    stream = BodyBlock().to_python(
        [
            {
                "type": "accordion",
                "value": {
                    "heading": "FAQ",
                    "items": [{"title": "Is it free?", "body": "<p>Yes.</p>"}],
                },
            },
            {"type": "quote", "value": {"quote": "Hi", "attribution": "Ana"}},
            {"type": "heading", "value": {"text": "Part", "level": "h3"}},
            {"type": "paragraph", "value": RichText("<p>Body text</p>").source},
        ]
    )
    html = str(stream.render_as_block())
    assert "<details>" in html and "<summary>Is it free?</summary>" in html
    assert "<blockquote>" in html and "— Ana" in html
    assert "<h3>Part</h3>" in html
    assert "Body text" in html


def test_document_link_uses_wagtails_checked_view(home_page):
    from tests.factories import DocumentFactory

    document = DocumentFactory(title="Toolkit")
    stream = BodyBlock().to_python(
        [{"type": "document", "value": {"document": document.pk, "label": ""}}]
    )
    html = str(stream.render_as_block())
    assert f"/documents/{document.pk}/" in html and "Toolkit" in html
