"""Learning's answers to what the groups domain announces (connected in
LearningConfig.ready())."""

from collections.abc import Callable
from datetime import datetime

from cohorts.models import CohortPage
from learning.models import ModuleRelease


def term_copied(
    sender, cohort: CohortPage, moved: Callable[[datetime], datetime], **kwargs
) -> None:
    """A new term's modules open as far into it as they did into the old one
    (the copy of the page brought the old dates along)."""
    for release in ModuleRelease.objects.filter(cohort=cohort):
        release.opens_at = moved(release.opens_at)
        release.save(update_fields=["opens_at"])
