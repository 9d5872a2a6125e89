"""How calendar feeds follow changes in the layers below them (connected in
CalendarsConfig.ready)."""

from calendars.ics import feeds, group_scope, person_scope


def membership_left(sender, membership, **kwargs) -> None:
    feeds.invalidate_scope(person_scope(membership.user_id))


def session_cancelled(sender, session, **kwargs) -> None:
    feeds.invalidate_scope(group_scope(session.cohort_id))


def people_regrouped(action, instance, reverse, pk_set, **kwargs) -> None:
    """Groups given or taken away: from a person (`instance`), or from the
    people in `pk_set` when changed from the group's side (all of its people
    when it is emptied: every feed then)."""
    if not action.startswith("post_"):
        return
    if reverse and pk_set is None:
        feeds.invalidate()
        return
    people = pk_set if reverse else [instance.pk]
    feeds.invalidate_scope(*(person_scope(pk) for pk in people))
