from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms_toolkits.models import ChecklistTick, ToolkitPage


@login_required
@require_POST
def tick(request: HttpRequest, toolkit_id: int) -> HttpResponse:
    """Tick or untick one item of a toolkit's checklist, for the signed-in person."""
    toolkit = get_object_or_404(ToolkitPage.objects.live(), pk=toolkit_id)
    item = request.POST.get("item", "")
    if item not in toolkit.item_ids():
        return HttpResponseBadRequest(_("This toolkit has no such checklist item."))
    mine = ChecklistTick.objects.filter(user=request.user, toolkit=toolkit, item=item)
    if request.POST.get("done") == "1":
        try:
            with transaction.atomic():
                ChecklistTick.objects.create(
                    user=request.user, toolkit=toolkit, item=item
                )
        except IntegrityError:
            pass  # ticked already (a double click, or another tab)
    else:
        mine.delete()
    return redirect(f"{toolkit.url}#item-{item}")
