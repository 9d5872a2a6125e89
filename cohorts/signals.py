"""What the groups and scheduling domains tell the layers above them, which
connect receivers in their AppConfig.ready(). Sent synchronously, inside the
caller's transaction, so a receiver's work commits or rolls back with the
change (plugins hear of the same changes on commit, through `lms.events`)."""

from django.dispatch import Signal

# A membership ended (`membership.leave`). Arguments: membership (its status is
# LEFT in the database; the instance is as it was before).
membership_left = Signal()

# A place freed up and went to the first on the waiting list. Arguments:
# membership (the one promoted, now active).
membership_promoted = Signal()

# A group's page was copied for a new term (`terms.duplicate_for_new_term`)
# and its meetings moved. Arguments: cohort (the new draft) and moved (takes a
# moment of the old term to the same local time in the new one), so that the
# apps above move their dates alike.
term_copied = Signal()

# Scheduling; these move to the scheduling app with sessions.

# Attendance at a session was saved (the register). Arguments: session.
attendance_recorded = Signal()

# A session was cancelled, by an admin or by its series losing the date.
# Arguments: session.
session_cancelled = Signal()
