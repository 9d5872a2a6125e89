"""Toolkits in the site's API (`/api/v1/p/toolkits/`): a person's progress
through toolkits' checklists, read and ticked as on the toolkit's page."""

from datetime import datetime

from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from lms_toolkits.models import ChecklistTick, ToolkitPage, set_tick
from sdk import privacy_refuses, viewable_pages
from sdk.api import (
    LIST_PROBLEMS,
    PERSON,
    PERSON_PROBLEMS,
    HttpError,
    Pages,
    Router,
    Schema,
    ShapedPages,
    answers,
    paginate,
)

router = Router(tags=["toolkits"], auth=PERSON)


class ItemOut(Schema):
    id: str
    text: str
    ticked_at: datetime | None


class ToolkitProgressOut(Schema):
    toolkit_id: int
    title: str
    url: str
    ticked: int
    items: list[ItemOut]


def _progress(toolkit: ToolkitPage, ticks: dict[str, datetime]) -> ToolkitProgressOut:
    items = [
        ItemOut(id=item.id, text=str(item.value), ticked_at=ticks.get(item.id))
        for item in toolkit.checklist
    ]
    return ToolkitProgressOut(
        toolkit_id=toolkit.pk,
        title=toolkit.title,
        url=toolkit.full_url or "",
        ticked=sum(item.ticked_at is not None for item in items),
        items=items,
    )


def _with_ticks(person):
    """`ShapedPages`' shape: each toolkit of a page with the person's ticks,
    read in one query for the page."""

    def shape(toolkits: list[ToolkitPage]) -> list[ToolkitProgressOut]:
        ticks: dict[int, dict[str, datetime]] = {}
        for tick in ChecklistTick.objects.filter(user=person, toolkit__in=toolkits):
            ticks.setdefault(tick.toolkit_id, {})[tick.item] = tick.ticked_at
        return [_progress(each, ticks.get(each.pk, {})) for each in toolkits]

    return shape


@router.get(
    "/progress",
    response=answers(list[ToolkitProgressOut], *PERSON_PROBLEMS, *LIST_PROBLEMS),
)
@paginate(Pages)
def progress(request):
    """The toolkits whose checklist the person has begun, the latest ticked
    first, each item with when they ticked it (None: not yet); not those
    whose page has since become private from them."""
    begun = (
        viewable_pages(ToolkitPage.objects.all(), request.user, request)
        .filter(ticks__user=request.user)
        .annotate(last_ticked=Max("ticks__ticked_at"))
        .order_by("-last_ticked", "-pk")
    )
    return ShapedPages(begun, _with_ticks(request.user))


class TickIn(Schema):
    done: bool


@router.put(
    "/toolkits/{toolkit_id}/items/{item_id}",
    response=answers(ToolkitProgressOut, *PERSON_PROBLEMS, 404),
)
def tick(request, toolkit_id: int, item_id: str, given: TickIn):
    """Tick (`done: true`) or untick an item of a toolkit's checklist; the
    toolkit's progress after it. Ticking twice leaves one tick."""
    toolkit = get_object_or_404(ToolkitPage.objects.live(), pk=toolkit_id)
    if privacy_refuses(toolkit, request):
        raise HttpError(404, _("No such toolkit."))
    if item_id not in toolkit.item_ids():
        raise HttpError(404, _("This toolkit has no such checklist item."))
    set_tick(request.user, toolkit, item_id, given.done)
    return _with_ticks(request.user)([toolkit])[0]
