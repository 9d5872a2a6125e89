"""Who may see which drafts: every view and hook of the plugin asks here.

Facilitators and leads of a workshop see every draft in it; a participant
sees their own drafts and the drafts others have shared (asked feedback on,
revised or finalised); nobody outside the workshop sees any, and they get 404s.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from lms_grantwriting.models import Draft
from sdk import CohortPage, Membership, leads_cohort, plugin_space, staff_role

LABEL = "grantwriting"


def workshop_for(
    user: AbstractBaseUser, cohort_id: int, request: HttpRequest | None = None
) -> tuple[CohortPage, Membership]:
    """The workshop and the user's current membership; 404 for anyone else
    (views pass their `request`, so a group's password typed in the browser
    counts: `plugin_space`)."""
    return plugin_space(user, cohort_id, LABEL, request)


def sees_overview(
    user: AbstractBaseUser, cohort: CohortPage, found: Membership | None
) -> bool:
    """Who submitted what: the workshop's staff and its program's leads."""
    return staff_role(found) or leads_cohort(user, cohort)


def drafts_seen_by(
    user: AbstractBaseUser,
    cohort: CohortPage,
    found: Membership | None,
    staff_rights: bool = True,
) -> QuerySet[Draft]:
    """The workshop's drafts `user` may see. `staff_rights` False: as a
    participant would, even if they run it (an API token made without them)."""
    drafts = Draft.objects.filter(assignment__cohort=cohort)
    if staff_role(found) and staff_rights:
        return drafts
    if found is None:
        return drafts.none()
    return drafts.filter(Q(author=user) | ~Q(status=Draft.Status.DRAFT))


def draft_for(
    user: AbstractBaseUser,
    draft_id: int,
    request: HttpRequest | None = None,
    staff_rights: bool = True,
) -> tuple[Draft, Membership]:
    draft = (
        Draft.objects.select_related("assignment__cohort", "author")
        .filter(pk=draft_id)
        .first()
    )
    if draft is None or not user.is_authenticated:
        raise Http404
    cohort, found = workshop_for(user, draft.assignment.cohort_id, request)
    seen = drafts_seen_by(user, cohort, found, staff_rights)
    if not seen.filter(pk=draft.pk).exists():
        raise Http404
    return draft, found
