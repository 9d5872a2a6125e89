"""The leads' queue of corrections to the directory, in the admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lms_partners import reviews
from lms_partners.access import keeps_directory
from lms_partners.forms import ReviewForm
from lms_partners.languages import language_names
from lms_partners.models import Area, Correction, Sector, Service
from sdk import staff_label

RECENTLY_DECIDED = 20


def _check(request: HttpRequest) -> None:
    if not keeps_directory(request.user):
        raise PermissionDenied


def shown(value) -> str:
    """A proposed or current value as a lead reads it."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(language_names(value))
    return str(value or "")


class Terms:
    """The names of sectors and areas by id, read once for a queue."""

    def __init__(self) -> None:
        self.sectors = dict(Sector.objects.values_list("pk", "name"))
        self.areas = dict(Area.objects.values_list("pk", "name"))


class Names:
    """The names a correction's ids stand for: sectors, areas, and the
    partner's places."""

    def __init__(self, partner, terms: Terms) -> None:
        self.sectors = terms.sectors
        self.areas = terms.areas
        self.places = dict(partner.locations.values_list("pk", "name"))

    def shown(self, name: str, value) -> str:
        if name in ("sectors", "areas"):
            names = getattr(self, name)
            return ", ".join(names[pk] for pk in value if pk in names)
        return shown(value)

    def rows_shown(self, name: str, now: list[dict], proposed: list[dict]):
        """(Now, proposed) for places or services: the rows changed, removed
        or new, one a line; rows left as they were are not shown."""
        line = self.place if name == "locations" else self.service
        before = {row["id"]: line(row) for row in now}
        after = {
            row.get("id"): line(row) for row in proposed if row.get("id") in before
        }
        was, becomes = [], []
        for pk, text in before.items():
            if pk not in after:
                was.append(text)
                becomes.append(_("Removed: %(row)s") % {"row": text})
            elif after[pk] != text:
                was.append(text)
                becomes.append(after[pk])
        becomes += [
            _("New: %(row)s") % {"row": line(row)}
            for row in proposed
            if row.get("id") not in before
        ]
        return "\n".join(was), "\n".join(becomes)

    @staticmethod
    def line(*parts: str) -> str:
        """The parts of a row on one line: whatever line breaks a contact
        typed, a row never reads as two."""
        return " · ".join(" ".join(str(part).split()) for part in parts if part)

    def place(self, row: dict) -> str:
        return self.line(
            row["name"],
            row["address"],
            " ".join(
                part
                for part in (row["city"], row["region"], row["postal_code"])
                if part
            ),
            row["opening_hours"],
            _("step-free entrance") if row["accessible_entrance"] else "",
        )

    def service(self, row: dict) -> str:
        kind = dict(Service.Kind.choices).get(row["kind"], row["kind"])
        at = [self.places[pk] for pk in row.get("where", ()) if pk in self.places]
        return self.line(
            f"{row['name']} ({kind})",
            row["who_for"],
            ", ".join(language_names(row["languages"])),
            _("at %(places)s") % {"places": ", ".join(at)} if at else "",
            row["description"],
        )


def differences(correction: Correction, terms: Terms) -> list[tuple[str, str, str]]:
    """(What, now, proposed) for each field the correction changes."""
    labels = {
        **{name: field.label for name, field in ReviewForm.base_fields.items()},
        "locations": _("Places"),
        "services": _("Services"),
    }
    current = reviews.entry_values(correction.partner)
    names = Names(correction.partner, terms)
    return [
        (
            labels.get(name, name),
            *(
                names.rows_shown(name, current[name], value)
                if name in reviews.ROWS
                else (names.shown(name, current.get(name)), names.shown(name, value))
            ),
        )
        for name, value in correction.changes.items()
        if name in reviews.REVIEWED_FIELDS
    ]


@require_http_methods(["GET", "HEAD"])
def queue(request: HttpRequest) -> HttpResponse:
    _check(request)
    waiting = Correction.objects.filter(state=Correction.State.WAITING)
    decided = Correction.objects.exclude(state=Correction.State.WAITING)
    related = ("partner__organisation", "decided_by")
    recent = decided.select_related(*related).order_by("-decided_at")
    terms = Terms()
    return TemplateResponse(
        request,
        "lms_partners/admin/corrections.html",
        {
            "admin_title": _("Partner corrections"),
            "admin_icon": "comment",
            "waiting": [
                (correction, differences(correction, terms))
                for correction in waiting.select_related(*related)
            ],
            "decided": [
                (each, each.decided_by and staff_label(each.decided_by))
                for each in recent[:RECENTLY_DECIDED]
            ],
        },
    )


@require_POST
def decide(request: HttpRequest, correction_id: int) -> HttpResponse:
    _check(request)
    action = request.POST.get("action")
    if action == "apply":
        try:
            done = reviews.apply(correction_id, request.user)
        except ValidationError as error:
            problems = "; ".join(error.messages)
            messages.error(
                request, _("Not applied: %(problems)s") % {"problems": problems}
            )
            return redirect("partner_corrections:index")
        said = _("Applied to %(partner)s's entry.")
    elif action == "dismiss":
        done = reviews.dismiss(correction_id, request.user)
        said = _("Dismissed the correction to %(partner)s's entry.")
    else:
        messages.error(request, _("Choose to apply or dismiss the correction."))
        return redirect("partner_corrections:index")
    if done is None:
        messages.error(request, _("That correction was already decided."))
    else:
        messages.success(request, said % {"partner": done.partner})
        if action == "apply":
            reviews.schedule_review(done.partner)
    return redirect("partner_corrections:index")
