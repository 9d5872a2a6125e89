"""StreamField blocks shared by every page type."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from lms.embeds import embed_choices, render_embed

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
        help_text=_("Use Section for main parts of the page; keep levels in order."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "content/blocks/heading.html"


class AccessibleImageBlock(blocks.StructBlock):
    """An image whose alt text is required unless it is marked decorative."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_(
            "Describe what the image shows for people who cannot see it. "
            "Required unless the image is decorative."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("Decorative only"),
        required=False,
        help_text=_("Tick only if the image adds nothing a reader would miss."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decorative") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _("Add alternative text, or mark the image as decorative.")
                    )
                }
            )
        return value


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "content/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Link to a page"), required=False)
    url = blocks.URLBlock(label=_("or an address"), required=False)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "content/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Choose a page or enter an address."))
                }
            )
        return value


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        help_text=_("Leave empty to use the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document link")
        template = "content/blocks/document_link.html"


class MediaEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("Video or media address"))
    title = blocks.CharBlock(
        label=_("Title"),
        help_text=_("Read out by screen readers before the player."),
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), required=False, features=RICH_TEXT_FEATURES
    )

    class Meta:
        icon = "media"
        label = _("Embedded media")
        template = "content/blocks/embed.html"


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Question or title"))
    body = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Items"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Accordion / FAQ")
        template = "content/blocks/accordion.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow"
    )
    image = AccessibleImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    document = DocumentLinkBlock()
    embed = MediaEmbedBlock()
    accordion = AccordionBlock()


# Lesson blocks. What a participant answers or ticks is saved per person by
# the learning app (learning/progress.py), keyed by the block's id; on their own
# these blocks render read-only.


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(label=_("Question to reflect on"))
    help_text = blocks.CharBlock(
        label=_("Hint"),
        required=False,
        help_text=_("e.g. 'A few sentences are enough.'"),
    )

    class Meta:
        icon = "edit"
        label = _("Reflection question")
        template = "content/blocks/reflection.html"


class ChecklistBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False)
    items = blocks.ListBlock(
        blocks.CharBlock(label=_("Item")), label=_("Items"), min_num=1
    )

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "content/blocks/checklist.html"


class QuizChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.CharBlock(
        label=_("Feedback"),
        required=False,
        help_text=_("Shown after answering, e.g. why this is or is not right."),
    )


class QuizBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    several_correct = blocks.BooleanBlock(
        label=_("More than one answer is correct"),
        required=False,
        help_text=_("Participants then tick every answer they think is right."),
    )
    choices = blocks.ListBlock(QuizChoiceBlock(), label=_("Answers"), min_num=2)

    class Meta:
        icon = "help"
        label = _("Quiz question")
        template = "content/blocks/quiz.html"

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0 or (correct > 1 and not value["several_correct"]):
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _(
                            "Mark one correct answer, or tick 'More than one answer "
                            "is correct' and mark them all."
                        )
                    )
                }
            )
        return value


def grade_quiz(value, chosen: set[int]) -> bool:
    """Right when exactly the correct answers (by position) were chosen."""
    correct = {n for n, choice in enumerate(value["choices"]) if choice["correct"]}
    return chosen == correct


class PluginContentBlock(blocks.StructBlock):
    """Something a plugin offers (a toolkit step, a worksheet...), shown as the
    plugin renders it for the person reading the lesson."""

    content = blocks.ChoiceBlock(
        choices=embed_choices,
        label=_("what to show"),
        help_text=_("Offered by the plugins installed on this site."),
    )

    class Meta:
        icon = "plug"
        label = _("Plugin content")
        template = "content/blocks/plugin_content.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        context["embed"] = render_embed(
            value["content"],
            user=getattr(request, "user", None) or AnonymousUser(),
            cohort=(parent_context or {}).get("cohort"),
            request=request,
        )
        return context


class LessonBlock(BodyBlock):
    reflection = ReflectionBlock()
    checklist = ChecklistBlock()
    quiz = QuizBlock()
    plugin_content = PluginContentBlock()


# The lesson blocks that hold a participant's own answers.
INTERACTIVE_BLOCKS = ("reflection", "checklist", "quiz")
