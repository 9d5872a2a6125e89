"""The coalition at a glance, for its leads: which sectors its partners
cover and which are missing, how many partners stood where at the end of
each recent quarter, what each partner's people did on the site, and the
partnership agreements."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from wagtail.models import Locale

from lms_partners.agreements import PartnershipAgreement
from lms_partners.models import Partner, Sector, StatusChange
from sdk import (
    OrganisationWork,
    Participation,
    Period,
    Report,
    in_active_language,
    organisation_participation,
    organisation_work,
)

QUARTERS = 4
# Where the participation table is among the reports (the CSV download).
PARTICIPATION = 2
STATUSES = [status for status, _label in Partner.Status.choices]


@dataclass(frozen=True)
class Coverage:
    """A sector (in the active language) and its partners by status."""

    sector: Sector
    by_status: dict[str, int]

    @property
    def represented(self) -> bool:
        """A core partner sits for it at the coalition's table."""
        return self.by_status.get(Partner.Status.CORE, 0) > 0


def sector_coverage() -> list[Coverage]:
    """Every sector of the site's main language (where partners are filed),
    named in the active language, with its partners by status: two queries."""
    sectors = list(Sector.objects.filter(locale=Locale.get_default()))
    counts = (
        Partner.sectors.through.objects.filter(sector__in=sectors)
        .values_list("sector_id", "partner__status")
        .annotate(count=Count("partner", distinct=True))
    )
    by_sector: dict[int, dict[str, int]] = {}
    for sector_id, status, count in counts:
        by_sector.setdefault(sector_id, {})[status] = count
    keys = [sector.translation_key for sector in sectors]
    here = {
        sector.translation_key: sector
        for sector in in_active_language(
            Sector.objects.filter(translation_key__in=keys)
        )
    }
    found = [
        Coverage(here.get(sector.translation_key, sector), by_sector.get(sector.pk, {}))
        for sector in sectors
    ]
    return sorted(found, key=lambda each: each.sector.name.casefold())


def quarter_ends(today: date, count: int = QUARTERS) -> list[date]:
    """The last day of each of the `count` quarters before today's, oldest
    first, then today."""
    ends = []
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    for _each in range(count):
        end = first_of_quarter - timedelta(days=1)
        ends.insert(0, end)
        first_of_quarter = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return [*ends, today]


def status_over_time(days: list[date]) -> list[tuple[date, Counter]]:
    """How many partners stood at each status at the end of each day: the
    latest change on or before it (a partner removed since is not counted)."""
    changes = StatusChange.objects.order_by("on", "pk").values_list(
        "partner_id", "status", "on"
    )
    standing: dict[int, str] = {}
    found = []
    changes = iter(changes)
    pending = next(changes, None)
    for day in sorted(days):
        while pending is not None and pending[2] <= day:
            standing[pending[0]] = pending[1]
            pending = next(changes, None)
        found.append((day, Counter(standing.values())))
    return found


@dataclass(frozen=True)
class TakingPart:
    """Each partner with its people's participation over a period, and the
    work the plugins did with each (coaching sessions held with it …)."""

    partners: list[tuple[Partner, Participation]]
    work: list[OrganisationWork]


def participation(period: Period) -> TakingPart:
    partners = list(
        Partner.objects.select_related("organisation").order_by(
            Lower("organisation__name"), "pk"
        )
    )
    ids = [partner.organisation_id for partner in partners]
    found = organisation_participation(ids, period)
    return TakingPart(
        [
            (partner, found.get(partner.organisation_id, Participation()))
            for partner in partners
        ],
        organisation_work(ids, period),
    )


def agreements() -> list[PartnershipAgreement]:
    """Every partner's agreements, those to renew soonest first."""
    return list(
        PartnershipAgreement.objects.select_related(
            "partner__organisation", "guide"
        ).order_by(F("renew_by").asc(nulls_last=True), "signed_on", "pk")
    )


def reports(
    coverage: list[Coverage],
    over_time: list[tuple[date, Counter]],
    taking_part: TakingPart,
    agreed: list[PartnershipAgreement],
    today: date,
) -> list[Report]:
    """The four tables as the downloads hold them."""
    labels = dict(Partner.Status.choices)
    return [
        Report(
            _("Sector coverage"),
            [_("Sector"), *(str(labels[s]) for s in STATUSES), _("Represented")],
            [
                [
                    each.sector.name,
                    *(each.by_status.get(s, 0) for s in STATUSES),
                    _("yes") if each.represented else _("no"),
                ]
                for each in coverage
            ],
        ),
        Report(
            _("Partners by status"),
            [_("At the end of"), *(str(labels[s]) for s in STATUSES)],
            [
                [day.isoformat(), *(counts.get(s, 0) for s in STATUSES)]
                for day, counts in over_time
            ],
        ),
        Report(
            _("Participation"),
            [
                _("Partner"),
                _("Partnership"),
                _("Members on the site"),
                _("Members who attended"),
                _("Attendances"),
                _("Sessions"),
                _("Sessions co-hosted"),
                *(work.label for work in taking_part.work),
            ],
            [
                [
                    str(partner),
                    str(partner.get_status_display()),
                    done.members,
                    done.people_attended,
                    done.attendances,
                    done.sessions,
                    done.co_hosted,
                    *(
                        work.counts.get(partner.organisation_id, 0)
                        for work in taking_part.work
                    ),
                ]
                for partner, done in taking_part.partners
            ],
        ),
        Report(
            _("Partnership agreements"),
            [
                _("Partner"),
                _("Agreement"),
                _("Standing"),
                _("Signed on"),
                _("Renew by"),
                _("Guided by"),
                _("Guide's address"),
            ],
            [
                [
                    str(each.partner),
                    each.title,
                    each.standing(today),
                    each.signed_on.isoformat() if each.signed_on else "",
                    each.renew_by.isoformat() if each.renew_by else "",
                    each.guide_text(),
                    each.guide_url(),
                ]
                for each in agreed
            ],
        ),
    ]
