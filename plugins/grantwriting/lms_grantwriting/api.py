"""Grant writing in the site's API (`/api/v1/p/grantwriting/`): the drafts of
a workshop a person may see, and one draft with its versions and feedback,
by the same rules as the workshop's pages (`access`): a participant sees
their own drafts and those shared for feedback; its staff see every one;
nobody outside it sees any (not found). Names as the group's privacy allows.
A token made without its owner's staff rights sees as a participant does."""

from datetime import datetime

from lms_grantwriting import access
from sdk import shown_name, staff_role
from sdk.api import (
    LIST_PROBLEMS,
    PERSON,
    PERSON_PROBLEMS,
    Field,
    Pages,
    Router,
    Schema,
    ShapedPages,
    answers,
    paginate,
    staff_rights,
)

router = Router(tags=["grant writing"], auth=PERSON)


class DraftOut(Schema):
    id: int
    assignment_id: int
    assignment: str
    author: str
    status: str
    versions: int
    updated_at: datetime


class VersionOut(Schema):
    number: int
    text: str
    note: str
    has_file: bool = Field(description="Downloaded from the draft's page.")
    created_at: datetime


class FeedbackOut(Schema):
    author: str
    on_version: int
    text: str
    created_at: datetime


class DraftWithWorkOut(DraftOut):
    versions_given: list[VersionOut] = Field(description="The latest first.")
    feedback: list[FeedbackOut]


def _draft_fields(draft, running: bool) -> dict:
    cohort = draft.assignment.cohort
    return {
        "id": draft.pk,
        "assignment_id": draft.assignment_id,
        "assignment": draft.assignment.title,
        "author": shown_name(draft.author, cohort, to_staff=running),
        "status": draft.status,
        "versions": draft.versions_made,
        "updated_at": draft.updated_at,
    }


@router.get(
    "/groups/{group_id}/drafts",
    response=answers(list[DraftOut], *PERSON_PROBLEMS, 404, *LIST_PROBLEMS),
)
@paginate(Pages)
def drafts(request, group_id: int):
    """The workshop's drafts the person may see, the latest changed first."""
    cohort, found = access.workshop_for(request.user, group_id, request)
    running = staff_role(found) and staff_rights(request)
    seen = (
        access.drafts_seen_by(request.user, cohort, found, running)
        .select_related("assignment__cohort", "author")
        .order_by("-updated_at", "-pk")
    )
    return ShapedPages(
        seen, lambda page: [DraftOut(**_draft_fields(each, running)) for each in page]
    )


@router.get(
    "/drafts/{draft_id}",
    response=answers(DraftWithWorkOut, *PERSON_PROBLEMS, 404),
)
def draft(request, draft_id: int):
    """One draft with every version and the feedback on them."""
    found_draft, found = access.draft_for(
        request.user, draft_id, request, staff_rights(request)
    )
    running = staff_role(found) and staff_rights(request)
    cohort = found_draft.assignment.cohort
    return DraftWithWorkOut(
        **_draft_fields(found_draft, running),
        versions_given=[
            VersionOut(
                number=version.number,
                text=version.text,
                note=version.note,
                has_file=bool(version.file),
                created_at=version.created_at,
            )
            for version in found_draft.versions.all()
        ],
        feedback=[
            FeedbackOut(
                author=shown_name(item.author, cohort, to_staff=running),
                on_version=item.version.number,
                text=item.text,
                created_at=item.created_at,
            )
            for item in found_draft.feedback.select_related("author", "version")
        ],
    )
