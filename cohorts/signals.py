"""What the groups domain tells the layers above it, which
connect receivers in their AppConfig.ready(). Sent synchronously, inside the
caller's transaction, so a receiver's work commits or rolls back with the
change (plugins hear of the same changes on commit, through `lms.events`)."""

from django.dispatch import Signal

# A membership ended (`membership.leave`). Arguments: membership (its status is
# LEFT in the database; the instance is as it was before).
membership_left = Signal()

# Someone stopped being a current member of a group other than by leaving:
# an admin put them back on the waiting list, or gave the membership to
# another person or group. Arguments: cohort, user (the former member).
membership_lapsed = Signal()

# A place freed up and went to the first on the waiting list. Arguments:
# membership (the one promoted, now active).
membership_promoted = Signal()

# A group's page was copied for a new term (`new_term.duplicate_for_new_term`).
# Arguments: cohort (the new draft), source (the group copied), moved (takes
# a moment of the old term to the same local time in the new one) and shift
# (the days between the terms' first meetings), so that the apps above copy
# or move their dates alike (scheduling: the meetings).
term_copied = Signal()
