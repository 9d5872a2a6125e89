"""Who belongs where: a person says which organisations they belong to, a
program lead confirms it (or says which organisation a name meant), and only
then does it count. What the person is told never depends on whether an
organisation by that name exists: some are kept off the public directory."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisations.models import Affiliation, Organisation


def tidy_name(name: str) -> str:
    """A name as typed, without spaces around it or runs of spaces inside."""
    return " ".join(name.split())


def same_name(typed: str, other: str) -> bool:
    """Whether two names are one, as `organisation_named` matches them:
    spaces tidied, case aside."""
    return tidy_name(typed).casefold() == tidy_name(other).casefold()


def organisation_named(name: str, among=None) -> Organisation | None:
    """The organisation of that name (matched without regard to case or
    spaces, the oldest if two share it) among `among` (a queryset; every
    organisation by default, the historical model's in a migration), or
    None. Whoever typed the name should be shown it as they typed it, never
    the match's spelling: some organisations are kept off the public
    directory, and a name spelt back would tell them it exists."""
    among = Organisation.objects.all() if among is None else among
    name = tidy_name(name)
    return among.filter(name__iexact=name).order_by("pk").first()


def organisation_called(name: str) -> Organisation:
    """`organisation_named`, made when there is none: for a name said in
    public, such as a session's co-host on its group's page. (Not for a name
    only its writer sees: it would become an organisation the site's leads
    and members are offered.)"""
    name = tidy_name(name)
    found = organisation_named(name)
    if found is None:
        try:
            with transaction.atomic():
                found = Organisation.objects.create(name=name)
        except IntegrityError:  # the same name, made at once by another request
            found = organisation_named(name)
    return found


def ask_to_belong(user: AbstractBaseUser, name: str, role: str = "") -> Affiliation:
    """The person's affiliation to the organisation of that name (matched
    without regard to case or spaces around it), or to the name as written
    when none matches; waiting for a lead, and shown to the person as they
    wrote it until then. Asking again changes the role."""
    name = tidy_name(name)
    organisation = organisation_named(name)
    mine = Affiliation.objects.filter(user=user)
    found = (
        mine.filter(organisation=organisation)
        if organisation
        else mine.filter(organisation=None, named__iexact=name)
    ).first()
    if found is not None:
        if role and role != found.role:
            found.role = role
            found.save(update_fields=["role"])
        return found
    try:
        with transaction.atomic():
            return Affiliation.objects.create(
                user=user,
                organisation=organisation,
                named=name,
                role=role,
            )
    except IntegrityError:  # the same request, sent twice at once
        return mine.get(organisation=organisation)


def leave(user: AbstractBaseUser, affiliation_id: int) -> bool:
    """The person no longer belongs there (theirs only); whether they did."""
    deleted, _kinds = Affiliation.objects.filter(pk=affiliation_id, user=user).delete()
    return deleted > 0


@transaction.atomic
def confirm(
    affiliation_id: int, organisation: Organisation, by: AbstractBaseUser
) -> Affiliation | None:
    """A lead confirms the person belongs to `organisation` (the one they
    named, or the one the lead says the name meant); None if it was decided
    already, or the person already belongs there (the request goes)."""
    # By id alone: the model's ordering joins the (nullable) organisation,
    # and PostgreSQL locks no row on the nullable side of an outer join.
    waiting = (
        Affiliation.objects.select_for_update()
        .filter(pk=affiliation_id, confirmed_at__isnull=True)
        .order_by()
        .first()
    )
    if waiting is None:
        return None
    already = Affiliation.objects.filter(
        user_id=waiting.user_id, organisation=organisation
    ).exclude(pk=waiting.pk)
    if already.exists():
        waiting.delete()
        return None
    waiting.organisation = organisation
    waiting.named = ""
    waiting.confirmed_at = timezone.now()
    waiting.confirmed_by = by
    waiting.save()
    return waiting


def decline(affiliation_id: int) -> bool:
    deleted, _kinds = Affiliation.objects.filter(
        pk=affiliation_id, confirmed_at__isnull=True
    ).delete()
    return deleted > 0
