"""How a person is named to other people: one rule for the whole site.

Others see the name a person gave, or a neutral word when they gave none;
never their e-mail address. Only the person and the staff who need it
(the admin, the member tables of the groups they run) see an address.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _


def display_name(person: AbstractBaseUser | None) -> str:
    """The full name, or "Member" for someone who gave none."""
    if person is None:
        return _("Someone who has left")
    return person.get_full_name().strip() or _("Member")


def first_name(person: AbstractBaseUser | None) -> str:
    """The first name alone, for places that must show no more than that."""
    if person is None:
        return _("Someone who has left")
    return person.first_name.strip() or _("Member")


def initials(name: str) -> str:
    """'Ada Lovelace' -> 'A. L.'"""
    return " ".join(f"{part[0].upper()}." for part in name.split())


def staff_label(person: AbstractBaseUser) -> str:
    """Name and address, for staff screens where people must be told apart."""
    name = person.get_full_name().strip()
    return f"{name} <{person.email}>" if name else person.email
