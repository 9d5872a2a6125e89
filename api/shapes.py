"""What every route of the API shares: its pages of results and the problems
it documents. Plugins' routes use the same (through `sdk.api`)."""

from typing import Annotated

from ninja import Field
from pydantic import AfterValidator
from wagtail.api.v3.errors import ProblemDetail
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination

from lms.forms import CONTROL_CHARACTERS


def _without_control_characters(value: str) -> str:
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("Control characters (such as NUL) are not allowed.")
    return value


# Text a person sends: refused (422, naming the field) when it holds a
# control character a database cannot store or a page should not show.
PlainText = Annotated[str, AfterValidator(_without_control_characters)]

# The furthest a list may be read into (far past any list here).
MAX_OFFSET = 10_000_000


class Pages(WagtailLimitOffsetPagination):
    """Wagtail's limit and offset, the offset bounded: a number past what a
    database counts in is a 422 naming it, not a server error."""

    class Input(WagtailLimitOffsetPagination.Input):
        offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


def answers(schema, *problems: int, success: int = 200) -> dict:
    """An operation's responses: `schema` when it succeeds (with `success`),
    a problem details document for each status in `problems` and for too
    many requests (429)."""
    return {success: schema, **dict.fromkeys((*problems, 429), ProblemDetail)}


# What a list may answer besides its page: a limit over the maximum (400),
# a parameter of the wrong kind (422).
LIST_PROBLEMS = (400, 422)
# A person's own data: not signed in (401), a read-only token writing (403).
PERSON_PROBLEMS = (401, 403)


class ShapedPages:
    """`rows` (a QuerySet) for `paginate`: read a page at a time, each page
    made into what the route answers by `shape(page) -> list`, so a page's
    related rows can be read in one query whatever the list's length."""

    def __init__(self, rows, shape) -> None:
        self.rows, self.shape = rows, shape

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, cut: slice) -> list:
        return self.shape(list(self.rows[cut]))
