import threading

import pytest
from django.db import connections

from cohorts.models import RSVP, Session
from cohorts.rsvp import RSVPError, respond
from tests.factories import CohortPageFactory, SessionFactory, UserFactory

GOING, WAITLISTED = RSVP.Status.GOING, RSVP.Status.WAITLISTED


@pytest.fixture
def session(home_page):
    circle = CohortPageFactory(parent=home_page)
    return SessionFactory(cohort=circle, capacity=2)


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


# serialized_rollback: the flush afterwards must not leave later tests on this
# worker without Wagtail's root page, site and locales.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_people_answering_at_once_get_exactly_the_seats(home_page):
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle, capacity=20)
    people = [UserFactory() for _ in range(50)]
    barrier = threading.Barrier(len(people))
    errors = []

    def answer(person):
        try:
            barrier.wait()
            respond(session, person, GOING)
        except Exception as error:  # collected and reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert session.rsvps.filter(status=GOING).count() == 20
    assert session.rsvps.filter(status=WAITLISTED).count() == 30
    assert session.rsvps.count() == 50

    leaving = session.rsvps.filter(status=GOING).first().user
    respond(session, leaving, RSVP.Status.DECLINED)
    assert session.rsvps.filter(status=GOING).count() == 20
    assert session.rsvps.filter(status=WAITLISTED).count() == 29
