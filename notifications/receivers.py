"""How notifications react to changes in the layers below them (connected in
NotificationsConfig.ready)."""

from notifications import emails


def session_saved(sender, instance, created, update_fields, **kwargs) -> None:
    # Every way a session is created or moved (admin, series, scripts) saves it.
    if created or update_fields is None or "starts_at" in update_fields:
        emails.schedule_reminders(instance)
    if not created and update_fields is not None and "starts_at" in update_fields:
        emails.notify_move(instance)


def session_cancelled(sender, session, **kwargs) -> None:
    emails.notify_cancellation(session)


def seats_given(sender, session, user_ids, **kwargs) -> None:
    emails.tell_seats_given(session, user_ids)


def membership_promoted(sender, membership, **kwargs) -> None:
    emails.tell_place_opened(membership)
