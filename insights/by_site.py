"""A network program's indicators chapter by chapter: each actual counted
for the groups of each site (a chapter's, the network's own) that holds some
of the program's groups, beside the network's whole.

Counted indicators are counted again per site, in one query each however
many chapters there are; a plugin's measure is the sum of its figures for
the site's groups when the plugin gives them and declares that its measure
adds up (hours, not rates); a result a lead entered is the network's only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from cohorts.models import CohortPage
from content.site import SiteTrees, site_holding, site_of, sites_trees
from insights.indicators import (
    DISTINCT_MEASURES,
    Actual,
    core_value_by,
    number_of,
    period_of,
)
from insights.logic_models import LogicModel
from insights.measures import CORE_MEASURES, plain


@dataclass(frozen=True)
class SiteActuals:
    """One indicator's actual in each of `IndicatorsBySite.sites` (None: not
    counted per site, or nothing counted there), and the whole's."""

    actual: Actual
    per_site: list[Decimal | None]

    @property
    def shown(self) -> list[Decimal | int | None]:
        return [plain(value) for value in self.per_site]

    @property
    def counted_once(self) -> bool:
        """Whether the whole counts people or organisations once across
        sites (and so may be less than the sum of the sites')."""
        return self.actual.indicator.measure in DISTINCT_MEASURES


@dataclass(frozen=True)
class IndicatorsBySite:
    sites: list[SiteTrees]
    rows: list[SiteActuals]

    @property
    def counts_once(self) -> bool:
        return any(row.counted_once for row in self.rows)


def indicators_by_site(
    model: LogicModel, found: list[Actual]
) -> IndicatorsBySite | None:
    """The model's actuals (`found`, from `actuals`) for each site holding
    some of its program's groups; None when they lie in one site only."""
    trees = list(sites_trees().values())
    site_of_group = {
        pk: site.pk
        for pk, path in CohortPage.objects.filter(program=model.program_id).values_list(
            "pk", "path"
        )
        if (site := site_holding(path, trees)) is not None
    }
    holding = set(site_of_group.values())
    sites = [site for site in trees if site.pk in holding]
    if len(sites) < 2:
        return None
    part_of = partial(site_of, trees=trees)
    period = period_of(model)
    rows = []
    for actual in found:
        indicator = actual.indicator
        if indicator.entered:
            values = {}
        elif indicator.measure in CORE_MEASURES:
            counts = core_value_by(indicator, model.program_id, period, part_of)
            values = {site.pk: Decimal(counts.get(site.pk, 0)) for site in sites}
        else:
            values = _summed_by_site(actual, site_of_group)
        rows.append(SiteActuals(actual, [values.get(site.pk) for site in sites]))
    return IndicatorsBySite(sites, rows)


def _summed_by_site(actual: Actual, site_of_group: dict[int, int]) -> dict:
    """A plugin's measure per site: the sum of its figures for the site's
    groups (none when it gave no figure for any of them)."""
    summed: dict[int, Decimal] = {}
    for group, value in actual.summed_by_group.items():
        number = number_of(value)
        site = site_of_group.get(group)
        if number is not None and site is not None:
            summed[site] = summed.get(site, Decimal(0)) + number
    return summed
