from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms_toolkits.models import ToolkitPage, set_tick
from sdk import privacy_refuses


@login_required
@require_POST
def tick(request: HttpRequest, toolkit_id: int) -> HttpResponse:
    """Tick or untick one item of a toolkit's checklist, for the signed-in person."""
    toolkit = get_object_or_404(ToolkitPage.objects.live(), pk=toolkit_id)
    if privacy_refuses(toolkit, request):
        raise Http404
    item = request.POST.get("item", "")
    if item not in toolkit.item_ids():
        return HttpResponseBadRequest(_("This toolkit has no such checklist item."))
    set_tick(request.user, toolkit, item, request.POST.get("done") == "1")
    return redirect(f"{toolkit.url}#item-{item}")
