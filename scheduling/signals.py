"""What the scheduling domain tells the layers above it, which connect
receivers in their AppConfig.ready(). Sent synchronously, inside the caller's
transaction (plugins hear of the same changes on commit, through
`lms.events`)."""

from django.dispatch import Signal

# Attendance at a session was saved (the register). Arguments: session.
attendance_recorded = Signal()

# A session was cancelled, by an admin or by its series losing the date.
# Arguments: session.
session_cancelled = Signal()

# Seats of a session went to people on its waiting list (someone gave theirs
# back, or the session got more). Arguments: session, user_ids.
seats_given = Signal()
