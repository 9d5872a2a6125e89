"""A person's answers to a lesson's blocks, checked before they are kept."""

from django import forms

from lms.forms import PlainTextForm

# As the answer box allows (content/blocks/reflection.html): longer is refused.
MAX_REFLECTION = 5000


class ReflectionAnswerForm(PlainTextForm, forms.Form):
    """A lesson's reflection: free text, without control characters (a NUL
    cannot be stored in PostgreSQL's JSON, where answers live)."""

    text = forms.CharField(required=False, max_length=MAX_REFLECTION)


class PositionsAnswerForm(forms.Form):
    """Which of a quiz's choices, or a checklist's items, a person ticked:
    their positions, each one the block has."""

    def __init__(self, data, *, name: str, count: int) -> None:
        super().__init__(data)
        self.fields[name] = forms.TypedMultipleChoiceField(
            choices=[(str(position), str(position)) for position in range(count)],
            coerce=int,
            required=False,
        )
