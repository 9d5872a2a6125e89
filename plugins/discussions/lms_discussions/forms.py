from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms_discussions.mentions import stored
from lms_discussions.models import (
    MAX_BODY,
    MAX_REASON,
    MAX_TITLE,
    Reaction,
    Reader,
    Thread,
)
from sdk import DatabaseIdField, PlainTextForm

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


class ThreadForm(PlainTextForm, forms.Form):
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


class ReplyForm(PlainTextForm, forms.Form):
    body = BodyField(label=_("Your reply"))
    quote = DatabaseIdField(required=False)


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
