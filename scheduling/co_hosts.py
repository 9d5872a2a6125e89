"""Organisations that host a session with its group, typed in by whoever
schedules it: each name is matched to the organisation of that name (made
when there is none), and shown as it was typed."""

from __future__ import annotations

from organisations.belonging import organisation_called, tidy_name
from scheduling.models import CoHost, Session

MAX_CO_HOSTS = 10


def names_in(text: str) -> list[str]:
    """The names of a "one per line" field, spaces tidied, blanks and
    repeats (whatever their case) left out."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        name = tidy_name(line)
        if name:
            found.setdefault(name.casefold(), name)
    return list(found.values())


def set_co_hosts(session: Session, names: list[str]) -> None:
    """The session's co-hosts become the organisations of these names."""
    wanted: dict[int, str] = {}
    for name in names:
        wanted.setdefault(organisation_called(name).pk, name)
    session.co_hosts.exclude(organisation__in=wanted).delete()
    for organisation_id, name in wanted.items():
        CoHost.objects.update_or_create(
            session=session,
            organisation_id=organisation_id,
            defaults={"named_as": name},
        )


def co_host_text(session: Session) -> str:
    """The session's co-hosts as its form shows them: one per line."""
    if session.pk is None:
        return ""
    return "\n".join(host.named_as for host in session.co_hosts.all())
