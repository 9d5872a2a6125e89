"""What people see of each other in a group, and what the public sees.

Organising schools mix youth and adult members in one group, so a group's
youth flag (CohortPage.is_youth) turns on youth-safe defaults, all decided
here and nowhere else:

- other participants see first names only (staff of the group see full
  names: they run it);
- contact details go to the group's staff only, in every group;
- a public certificate check shows the holder's initials only;
- members have no profile photos; a youth group's page never shows a
  picture of its members (its speakers, who are not members, keep theirs).

Plugins name people through `shown_name`, never by reading user fields.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from cohorts.models import CohortPage
from lms.people import display_name, first_name, initials


def shown_name(
    person: AbstractBaseUser | None, cohort: CohortPage | None, *, to_staff: bool
) -> str:
    """The name of a member of `cohort` as the viewer may see it: `to_staff`
    is True when the viewer runs the group."""
    if cohort is not None and cohort.is_youth and not to_staff:
        return first_name(person)
    return display_name(person)


def sees_contact_details(*, to_staff: bool) -> bool:
    """Addresses of members are for the group's staff; in youth groups above all."""
    return to_staff


def certificate_name(name: str, cohort: CohortPage | None) -> str:
    """The name on a certificate earned in `cohort` as the public
    verification page shows it."""
    name = name.strip()
    if not name:
        return _("A participant")
    if cohort is not None and cohort.is_youth:
        return initials(name)
    return name
