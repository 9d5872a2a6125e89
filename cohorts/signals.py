"""What the groups domain tells the layers above it, which connect receivers in
their AppConfig.ready(). Sent synchronously, inside the caller's transaction, so
a receiver's work commits or rolls back with the change (plugins hear of the
same changes on commit, through `lms.events`)."""

from django.dispatch import Signal

# A membership ended (`membership.leave`). Arguments: membership (its status is
# LEFT in the database; the instance is as it was before).
membership_left = Signal()

# Attendance at a session was saved (the register). Arguments: session.
# It moves to the scheduling app with the register.
attendance_recorded = Signal()
