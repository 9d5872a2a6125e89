"""When members are reminded of a session: a program's hours before it."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REMINDER_HOURS = "24, 1"


def reminder_offsets(hours: str) -> list[timedelta]:
    """'24, 1' -> [24 hours, 1 hour]; ValueError for anything else."""
    offsets = [
        timedelta(hours=float(part)) for part in hours.split(",") if part.strip()
    ]
    if any(offset <= timedelta(0) or offset > timedelta(days=30) for offset in offsets):
        raise ValueError(hours)
    return sorted(set(offsets), reverse=True)


def validate_reminder_hours(value: str) -> None:
    try:
        reminder_offsets(value)
    except ValueError:
        raise ValidationError(
            _(
                "Write hours as numbers between 0 and 720, separated by commas, "
                "e.g. '24, 1'."
            )
        ) from None
