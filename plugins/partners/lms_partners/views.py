from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lms_partners.directory import listed_partners
from lms_partners.hsds import export_zip
from lms_partners.models import Partner
from sdk import ProgramLeadsPolicy, private_download


@login_required
@require_http_methods(["GET", "HEAD"])
def hsds_export(request: HttpRequest) -> HttpResponse:
    """The public directory as Open Referral HSDS CSV files, for the leads
    who keep it (what it holds is public; the download is theirs to make)."""
    if not ProgramLeadsPolicy(Partner).user_has_permission(request.user, "view"):
        raise PermissionDenied
    partners = listed_partners().prefetch_related(
        "sectors", "areas", "services", "locations"
    )
    day = timezone.localdate().isoformat()
    return private_download(
        export_zip(partners), f"partners-hsds-{day}.zip", "application/zip"
    )
