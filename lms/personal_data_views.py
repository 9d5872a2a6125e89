"""'Your data': a person downloads everything the site holds about them or
deletes their account; superusers do either for someone who asks, from the
admin. Every download and erasure goes into the audit log."""

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import personal_data
from lms.audit import record
from lms.forms import EraseConfirmationForm


def data_download(request: HttpRequest, person: AbstractBaseUser) -> FileResponse:
    """The file of everything the site holds about `person` (the audit log
    notes who asked), as "Your data" and the API download it."""
    record(request.user, "data.export", subject=person)
    response = FileResponse(
        personal_data.export_archive(person),
        as_attachment=True,
        filename=f"learning-commons-data-{person.pk}-{timezone.now():%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _erase(request: HttpRequest, person: AbstractBaseUser) -> bool:
    """Erase `person`; False (with a message) when a part of the site could
    not, in which case nothing was erased."""
    try:
        personal_data.erase(person, by=request.user)
    except personal_data.ErasureFailed:
        messages.error(
            request,
            _(
                "The account could not be deleted just now, and nothing was "
                "deleted. Please try again later."
            ),
        )
        return False
    return True


@login_required
def your_data(request: HttpRequest) -> HttpResponse:
    return render(request, "lms/your_data.html")


@login_required
@require_POST
def download_your_data(request: HttpRequest) -> FileResponse:
    return data_download(request, request.user)


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Asks first (the address typed, and the password if there is one);
    then erases, logs out and says it is done."""
    person = request.user
    form = EraseConfirmationForm(
        request.POST or None,
        person=person,
        ask_password=person.has_usable_password(),
    )
    if request.method == "POST" and form.is_valid():
        if _erase(request, person):
            logout(request)
            return redirect("account_deleted")
        return redirect("your_data")
    return TemplateResponse(
        request,
        "lms/delete_account.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "lms/account_deleted.html")


# --- the admin, for superusers -----------------------------------------------


def _person_for_superuser(request: HttpRequest, user_id: int) -> AbstractBaseUser:
    if not request.user.is_superuser:
        raise PermissionDenied
    return get_object_or_404(get_user_model(), pk=user_id)


def admin_personal_data(request: HttpRequest, user_id: int) -> HttpResponse:
    person = _person_for_superuser(request, user_id)
    form = EraseConfirmationForm(person=person, ask_password=False)
    return _admin_page(request, person, form)


def _admin_page(request, person, form) -> TemplateResponse:
    return TemplateResponse(
        request,
        "lms/admin/personal_data.html",
        {"person": person, "form": form, "is_self": person == request.user},
        status=400 if form.errors else 200,
    )


@require_POST
def admin_export(request: HttpRequest, user_id: int) -> FileResponse:
    return data_download(request, _person_for_superuser(request, user_id))


@require_POST
def admin_erase(request: HttpRequest, user_id: int) -> HttpResponse:
    person = _person_for_superuser(request, user_id)
    if person == request.user:
        messages.error(request, _("Delete your own account from 'Your data'."))
        return redirect("lms_personal_data", person.pk)
    form = EraseConfirmationForm(request.POST, person=person, ask_password=False)
    if not form.is_valid():
        return _admin_page(request, person, form)
    if not _erase(request, person):
        return redirect("lms_personal_data", user_id)
    messages.success(
        request, _("The person's account and data are erased. The audit log says so.")
    )
    return redirect("wagtailusers_users:index")
