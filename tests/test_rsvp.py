import threading
from functools import partial
from unittest import mock

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from cohorts.membership import leave
from cohorts.models import CohortPage, Membership
from scheduling import receivers as scheduling_receivers
from scheduling import views as scheduling_views
from scheduling.models import RSVP, Session
from scheduling.rsvp import RSVPError, respond
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)

GOING, WAITLISTED = RSVP.Status.GOING, RSVP.Status.WAITLISTED


@pytest.fixture
def session(home_page):
    """A two-seat session of a speaker event open for sign-up, which takes
    answers from anyone signed in (no membership needed)."""
    event = CohortPageFactory(parent=home_page, kind=CohortPage.Kind.SPEAKER_EVENT)
    return SessionFactory(cohort=event, capacity=2)


def statuses(session) -> dict[str, str]:
    return {r.user.email: r.status for r in session.rsvps.select_related("user")}


@pytest.mark.django_db
def test_seats_fill_then_people_are_waitlisted_and_promoted_in_order(session):
    ana, ben, cy, dee = (UserFactory(email=f"{n}@example.org") for n in "abcd")
    for person in (ana, ben, cy, dee):
        respond(session, person, GOING)
    assert statuses(session) == {
        "a@example.org": GOING,
        "b@example.org": GOING,
        "c@example.org": WAITLISTED,
        "d@example.org": WAITLISTED,
    }
    respond(session, ana, RSVP.Status.DECLINED)
    assert statuses(session)["c@example.org"] == GOING
    assert statuses(session)["d@example.org"] == WAITLISTED


@pytest.mark.django_db
def test_answering_again_keeps_one_rsvp_and_the_waiting_list_place(session):
    people = [UserFactory() for _ in range(4)]
    for person in people:
        respond(session, person, GOING)
    respond(session, people[2], GOING)  # impatient click
    respond(session, people[0], RSVP.Status.MAYBE)
    assert RSVP.objects.filter(session=session).count() == 4
    assert RSVP.objects.get(session=session, user=people[2]).status == GOING
    assert RSVP.objects.get(session=session, user=people[3]).status == WAITLISTED


@pytest.mark.django_db
def test_cancelled_sessions_and_bad_answers_are_refused(session):
    with pytest.raises(RSVPError, match="going, maybe or not going"):
        respond(session, UserFactory(), "perhaps")
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(RSVPError, match="cancelled"):
        respond(session, UserFactory(), GOING)


def run_at_once(*actions) -> list[Exception]:
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as error:  # collected and returned
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


# serialized_rollback: the flush afterwards must not leave later tests on this
# worker without Wagtail's root page, site and locales.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_people_answering_at_once_get_exactly_the_seats(home_page):
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle, capacity=20)
    people = [MembershipFactory(cohort=circle).user for _ in range(50)]
    errors = run_at_once(*(partial(respond, session, p, GOING) for p in people))
    assert errors == []
    assert session.rsvps.filter(status=GOING).count() == 20
    assert session.rsvps.filter(status=WAITLISTED).count() == 30
    assert session.rsvps.count() == 50

    leaving = session.rsvps.filter(status=GOING).first().user
    respond(session, leaving, RSVP.Status.DECLINED)
    assert session.rsvps.filter(status=GOING).count() == 20
    assert session.rsvps.filter(status=WAITLISTED).count() == 29


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_leaving_while_others_answer_frees_the_seat_once(home_page):
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle, capacity=1)
    other_session = SessionFactory(cohort=circle)
    leaver, waiting, latecomer = (MembershipFactory(cohort=circle) for _ in range(3))
    respond(session, leaver.user, GOING)
    respond(session, waiting.user, GOING)

    errors = run_at_once(
        lambda: leave(leaver),
        lambda: respond(session, latecomer.user, GOING),
        # Answering while leaving: refused, or cancelled with the rest.
        lambda: respond(other_session, leaver.user, GOING),
    )

    assert all(isinstance(error, RSVPError) for error in errors), errors
    answers = {r.user_id: r.status for r in RSVP.objects.filter(session=session)}
    assert answers == {
        leaver.user_id: RSVP.Status.DECLINED,
        waiting.user_id: GOING,
        latecomer.user_id: WAITLISTED,
    }
    assert not other_session.rsvps.filter(user=leaver.user, status=GOING).exists()


@pytest.mark.django_db
def test_only_current_members_take_seats_in_a_group(home_page):
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle)
    member, waiting, stranger = (
        MembershipFactory(cohort=circle).user,
        MembershipFactory(cohort=circle, status=Membership.Status.WAITLISTED).user,
        UserFactory(),
    )
    removed = MembershipFactory(cohort=circle)
    removed.delete()  # no "left" row remains
    for person in (waiting, stranger, removed.user):
        with pytest.raises(RSVPError, match="no longer in this group"):
            respond(session, person, GOING)
        # Declining only gives a seat back: always allowed.
        respond(session, person, RSVP.Status.DECLINED)
    assert respond(session, member, GOING).status == GOING
    assert not session.rsvps.filter(status=GOING).exclude(user=member).exists()


@pytest.mark.django_db
def test_open_speaker_events_take_answers_from_anyone_signed_in(session):
    assert respond(session, UserFactory(), GOING).status == GOING
    CohortPage.objects.filter(pk=session.cohort_id).update(signup_open=False)
    with pytest.raises(RSVPError, match="no longer in this group"):
        respond(session, UserFactory(), GOING)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_removal_in_the_admin_while_the_person_answers_keeps_no_seat(home_page):
    """The answer passes the view's membership check, then waits for the
    session's lock held by the removal; once the removal is committed there
    is no membership left, and the answer must be refused."""
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle, capacity=1)
    removed = MembershipFactory(cohort=circle)
    admin, member = Client(), Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    member.force_login(removed.user)
    sessions_locked, answer_checked = threading.Event(), threading.Event()
    real_withdraw = scheduling_receivers.withdraw
    real_respond = scheduling_views.respond

    def withdraw_then_wait(*args):
        real_withdraw(*args)  # the coming sessions are now locked
        sessions_locked.set()
        answer_checked.wait(timeout=10)

    def respond_once_checked(*args):
        answer_checked.set()  # the view let the answer through
        return real_respond(*args)

    def remove():
        admin.post(f"/admin/cohorts/memberships/delete/{removed.pk}/")

    def answer():
        sessions_locked.wait(timeout=10)
        member.post(reverse("cohorts:rsvp", args=[session.pk]), {"answer": "going"})

    with (
        mock.patch.object(scheduling_receivers, "withdraw", withdraw_then_wait),
        mock.patch.object(scheduling_views, "respond", respond_once_checked),
    ):
        errors = run_at_once(remove, answer)

    assert errors == []
    assert answer_checked.is_set()
    assert not Membership.objects.filter(pk=removed.pk).exists()
    assert (
        not session.rsvps.filter(user=removed.user)
        .exclude(status=RSVP.Status.DECLINED)
        .exists()
    )
