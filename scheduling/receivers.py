"""How scheduling reacts to what the groups domain announces."""

from django.contrib.auth.base_user import AbstractBaseUser

from cohorts.models import CohortPage, Membership
from scheduling.rsvp import withdraw


def membership_left(sender, membership: Membership, **kwargs) -> None:
    """A member left: their answers to the group's coming sessions are
    cancelled, their seats going to those waiting. Runs inside `leave`'s
    transaction, which holds the group's lock."""
    withdraw(membership.cohort, membership.user)


def membership_lapsed(
    sender, cohort: CohortPage, user: AbstractBaseUser, **kwargs
) -> None:
    """Nobody outside a group keeps a seat at its sessions."""
    withdraw(cohort, user)
