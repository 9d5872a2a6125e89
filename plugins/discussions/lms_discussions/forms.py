from io import BytesIO

from django import forms
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from PIL import Image as PILImage
from PIL import ImageOps

from lms_discussions.mentions import stored
from lms_discussions.models import (
    MAX_BODY,
    MAX_FILE_BYTES,
    MAX_REASON,
    MAX_TITLE,
    Reaction,
    Reader,
    Thread,
    names_a_picture,
)
from sdk import SHARED_FILE_EXTENSIONS, DatabaseIdField, MaxFileSize, PlainTextForm

# Pictures shown in posts: refused above this many pixels (a file of a few
# megabytes can hold a picture that stops a phone), made this size at most.
MAX_PICTURE_PIXELS = 40_000_000
PICTURE_SIDE = 2048

MARKDOWN_HELP = _(
    "Markdown works: **bold**, *italic*, lists, [links](https://example.org)."
)


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=MAX_BODY,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=MARKDOWN_HELP,
            error_messages={"required": _("Write something first.")},
            **kwargs,
        )

    def clean(self, value):
        """The text as a post keeps it (mentions without their names)."""
        return stored(super().clean(value))


class PictureRefused(ValueError):
    """The upload is no picture this site shows; the message says why."""


def drawn_again(upload) -> ContentFile:
    """The picture drawn again from its pixels, upright, at most PICTURE_SIDE
    pixels a side, without what the camera wrote in the file (where and when
    it was taken, the device), which everyone in the space would otherwise
    download with it."""
    try:
        with PILImage.open(upload) as image:
            # Known from the header: a huge picture is refused unread.
            if image.width * image.height > MAX_PICTURE_PIXELS:
                raise PictureRefused(
                    _("This picture is too large: send a smaller one.")
                )
            shown = ImageOps.exif_transpose(image)
            shown.thumbnail((PICTURE_SIDE, PICTURE_SIDE))
            drawn = BytesIO()
            if image.format == "PNG":
                shown.save(drawn, "PNG", optimize=True)
            else:
                shown.convert("RGB").save(drawn, "JPEG", quality=85)
    except PictureRefused:
        raise
    except (OSError, ValueError, PILImage.DecompressionBombError) as error:
        raise PictureRefused(
            _("This picture cannot be opened: choose a PNG or JPEG.")
        ) from error
    return ContentFile(drawn.getvalue(), name=upload.name)


class FileFields(forms.Form):
    """A file a new post may carry; a picture is shown in the post, and
    says what it shows."""

    file = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        validators=[
            FileExtensionValidator(SHARED_FILE_EXTENSIONS),
            MaxFileSize(MAX_FILE_BYTES),
        ],
        help_text=_(
            "Up to 10 MB: a document, a spreadsheet, slides or a picture "
            "(PNG or JPEG), which the post shows."
        ),
    )
    description = forms.CharField(
        label=_("What the picture shows"),
        required=False,
        max_length=300,
        help_text=_("For a picture: a few words for people who cannot see it."),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and names_a_picture(upload.name):
            try:
                cleaned["file"] = drawn_again(upload)
            except PictureRefused as refusal:
                self.add_error("file", str(refusal))
            if not cleaned.get("description"):
                self.add_error(
                    "description",
                    _("Say in a few words what the picture shows."),
                )
        return cleaned


class ThreadForm(PlainTextForm, FileFields):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=Thread.Kind.choices,
        initial=Thread.Kind.CONVERSATION,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=pgettext_lazy("discussions", "Title"),
        max_length=MAX_TITLE,
        error_messages={"required": _("Give your thread a title.")},
    )
    body = BodyField(label=_("Your message"))
    field_order = ["kind", "title", "body"]


class ReplyForm(PlainTextForm, FileFields):
    body = BodyField(label=_("Your reply"))
    quote = DatabaseIdField(required=False)
    field_order = ["body"]


class EditForm(PlainTextForm, forms.Form):
    body = BodyField(label=_("Your message"))


class FlagForm(PlainTextForm, forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the moderators read this."),
        error_messages={"required": _("Tell the moderators why, in a few words.")},
    )


class ToggleForm(PlainTextForm, forms.Form):
    """On or off, for pin, lock and hide: the button says which."""

    on = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


class FollowForm(PlainTextForm, forms.Form):
    choice = forms.ChoiceField(choices=Reader.Choice.choices, required=False)


class ReactionForm(PlainTextForm, forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)


class SearchForm(PlainTextForm, forms.Form):
    q = forms.CharField(
        label=_("Search this space"),
        max_length=200,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class PeopleSearchForm(PlainTextForm, forms.Form):
    """What the author typed after `@`, for the list of people to mention."""

    q = forms.CharField(max_length=50, strip=True, required=False)


class MoveForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Move to"),
        help_text=_("Only spaces where everyone who wrote in this thread can read it."),
        error_messages={"invalid_choice": _("Choose one of the spaces listed.")},
    )

    def __init__(self, *args, targets: dict, **kwargs):
        """`targets`: each space offered (its key) and its title."""
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = list(targets.items())
