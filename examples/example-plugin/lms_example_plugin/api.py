"""The example plugin's routes in the site's API (`/api/v1/p/example/`): a
person's own reading notes, read and written."""

from datetime import datetime

from lms_example_plugin.models import ReadingNote
from sdk.api import (
    PERSON,
    PERSON_PROBLEMS,
    Field,
    Pages,
    PlainText,
    Router,
    Schema,
    answers,
    paginate,
)

router = Router(tags=["example plugin"], auth=PERSON)


class NoteOut(Schema):
    id: int
    text: str
    created_at: datetime


class NoteIn(Schema):
    text: PlainText = Field(min_length=1, max_length=2000)


@router.get("/notes", response=answers(list[NoteOut], *PERSON_PROBLEMS, 400, 422))
@paginate(Pages)
def notes(request):
    """The person's reading notes, newest first."""
    return ReadingNote.objects.filter(user=request.user).order_by("-created_at", "-pk")


@router.post("/notes", response=answers(NoteOut, *PERSON_PROBLEMS, 422))
def write_note(request, given: NoteIn):
    """A new reading note (a token that may write)."""
    return ReadingNote.objects.create(user=request.user, text=given.text)
