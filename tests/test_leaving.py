import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cohorts.membership import join, leave
from cohorts.models import Membership, Program
from lms.roles import PROGRAM_LEADS
from notifications.emails import recipients
from scheduling.models import RSVP
from scheduling.rsvp import respond
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.test_calendar import feed_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_circle(home_page):
    circle = CohortPageFactory(parent=home_page, capacity=1)
    inside, first, second = UserFactory(), UserFactory(), UserFactory()
    for person in (inside, first, second):
        join(circle, person)
    return circle, inside, first, second


def status_of(circle, person) -> str:
    return Membership.objects.get(cohort=circle, user=person).status


def test_leaving_asks_first_then_gives_the_place_to_the_first_waiting(
    client, full_circle, django_capture_on_commit_callbacks
):
    circle, inside, first, second = full_circle
    client.force_login(inside)
    url = reverse("cohorts:leave", args=[circle.pk])
    assert "Leave this group" in client.get(circle.url).content.decode()
    assert client.get(url).status_code == 200
    assert status_of(circle, inside) == "active"  # opening the page changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert status_of(circle, inside) == "left"
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert mail.outbox[0].subject == f"A place opened for you in {circle.title}"
    assert status_of(circle, first) == "active"
    assert status_of(circle, second) == "waitlisted"
    assert "Join" in client.get(circle.url).content.decode()

    client.post(url)  # leaving twice promotes no one else
    assert status_of(circle, second) == "waitlisted"


def test_waiting_people_see_it_and_can_leave_the_waiting_list(client, full_circle):
    circle, _, first, second = full_circle
    client.force_login(first)
    page = client.get(circle.url).content.decode()
    assert "You are on the waiting list for this group." in page
    assert "Leave the waiting list" in page
    client.post(reverse("cohorts:leave", args=[circle.pk]))
    assert status_of(circle, first) == "left"
    assert status_of(circle, second) == "waitlisted"  # no place was freed


def test_facilitators_leaving_free_no_participant_place(full_circle):
    circle, _, first, _ = full_circle
    facilitator = MembershipFactory(cohort=circle, role="facilitator")
    assert leave(facilitator) is None
    assert status_of(circle, first) == "waitlisted"


def test_outsiders_are_told_they_are_not_in_the_group(client, full_circle):
    circle = full_circle[0]
    client.force_login(UserFactory())
    response = client.post(reverse("cohorts:leave", args=[circle.pk]), follow=True)
    assert b"You are not in this group." in response.content
    client.logout()
    response = client.get(reverse("cohorts:leave", args=[circle.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_invited_people_see_the_join_form_and_joining_activates_them(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    invited = MembershipFactory(cohort=circle, status="invited").user
    client.force_login(invited)
    assert (
        f'action="/cohorts/{circle.pk}/join/"'
        in client.get(circle.url).content.decode()
    )
    client.post(reverse("cohorts:join", args=[circle.pk]))
    assert status_of(circle, invited) == "active"


def test_a_facilitator_who_leaves_is_gone_from_their_feed_at_once(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    SessionFactory(cohort=circle, title="Budget basics")
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    feed = feed_of(facilitator)
    assert "Budget basics" in client.get(feed).content.decode()
    leave(Membership.objects.get(cohort=circle, user=facilitator))
    assert "Budget basics" not in client.get(feed).content.decode()


def test_rejoining_makes_a_participant_whatever_role_the_person_had(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    facilitator = MembershipFactory(cohort=circle, role="facilitator")
    dashboard = reverse("cohorts:dashboard", args=[circle.pk])
    client.force_login(facilitator.user)
    assert client.get(dashboard).status_code == 200
    leave(facilitator)
    assert client.get(dashboard).status_code == 403

    client.post(reverse("cohorts:join", args=[circle.pk]))
    rejoined = Membership.objects.get(cohort=circle, user=facilitator.user)
    assert (rejoined.status, rejoined.role) == ("active", "participant")
    assert client.get(dashboard).status_code == 403


def test_coming_back_keeps_the_goal_given_before_unless_a_new_one_is_given(home_page):
    circle = CohortPageFactory(parent=home_page)
    person = UserFactory()
    leave(join(circle, person, goal="Write a grant"))
    assert join(circle, person).goal == "Write a grant"
    leave(Membership.objects.get(cohort=circle, user=person))
    join(circle, person, goal="Finish the budget")
    assert status_of(circle, person) == "active"
    assert Membership.objects.get(user=person).goal == "Finish the budget"


SECRET_PLACE = "455 Elm Street"
SECRET_LINK = "https://meet.example.org/secret-room"


@pytest.fixture
def seated_circle(home_page):
    """A circle whose one-seat session has a person going and one waiting."""
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle, capacity=1, online_url=SECRET_LINK)
    going, waiting = (MembershipFactory(cohort=circle) for _ in range(2))
    respond(session, going.user, RSVP.Status.GOING)
    respond(session, waiting.user, RSVP.Status.GOING)
    return circle, session, going, waiting


def answer_of(session, membership) -> str:
    return RSVP.objects.get(session=session, user=membership.user).status


def assert_gone_from_the_session(client, session, going, waiting):
    assert answer_of(session, going) == RSVP.Status.DECLINED
    assert answer_of(session, waiting) == RSVP.Status.GOING  # the freed seat
    assert going.user not in recipients(session)
    client.force_login(going.user)
    for url in (
        feed_of(going.user),
        reverse("cohorts:session_ics", args=[session.pk]),
    ):
        text = client.get(url).content.decode()
        assert SECRET_PLACE not in text and "secret-room" not in text
    client.post(reverse("cohorts:rsvp", args=[session.pk]), {"answer": "going"})
    assert answer_of(session, going) == RSVP.Status.DECLINED


def test_leaving_cancels_future_answers_and_gives_the_seat_away(client, seated_circle):
    circle, session, going, waiting = seated_circle
    client.force_login(going.user)
    assert SECRET_PLACE in client.get(feed_of(going.user)).content.decode()
    assert going.user in recipients(session)

    client.post(reverse("cohorts:leave", args=[circle.pk]))
    assert_gone_from_the_session(client, session, going, waiting)


@pytest.mark.parametrize("how", ["left", "deleted", "waitlisted", "invited", "moved"])
def test_leads_setting_left_or_removing_in_the_admin_do_the_same(
    client, seated_circle, how
):
    """Whatever the lead's change that leaves someone no longer a current
    member (left, removed, put back on the waiting list or invited, or the
    membership given to someone else), their seats go to those waiting."""
    circle, session, going, waiting = seated_circle
    client.force_login(going.user)
    assert SECRET_PLACE in client.get(feed_of(going.user)).content.decode()
    lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    circle.program = Program.objects.create(name="Circles", slug="circles")
    circle.save(update_fields=["program"])
    circle.program.leads.add(lead)
    # Someone of another group of the program, whom the lead may pick.
    newcomer = MembershipFactory(
        cohort=CohortPageFactory(parent=circle.get_parent(), program=circle.program)
    ).user
    client.force_login(lead)
    if how == "deleted":
        response = client.post(f"/admin/cohorts/memberships/delete/{going.pk}/")
        assert not Membership.objects.filter(pk=going.pk).exists()
    else:
        response = client.post(
            f"/admin/cohorts/memberships/edit/{going.pk}/",
            {
                "cohort": circle.pk,
                "user": newcomer.pk if how == "moved" else going.user.pk,
                "role": "participant",
                "status": "active" if how == "moved" else how,
                "goal": "",
                "goal_met": "",
            },
        )
        changed = Membership.objects.get(pk=going.pk)
        assert (changed.user, changed.status) == (
            (newcomer, "active") if how == "moved" else (going.user, how)
        )
    assert response.status_code == 302
    assert_gone_from_the_session(client, session, going, waiting)


def test_a_private_group_can_be_left_by_its_members_and_named_to_nobody_else(
    client, home_page
):
    """Someone outside a private group who asks to leave it is refused, not
    sent to its address; a member the page's privacy now refuses still
    leaves."""
    circle = CohortPageFactory(parent=home_page, title="Board circle")
    member, stranger = UserFactory(), UserFactory()
    join(circle, member)
    PageViewRestriction.objects.create(
        page=circle, restriction_type=PageViewRestriction.GROUPS
    ).groups.add(Group.objects.create(name="Board"))
    leaving = reverse("cohorts:leave", args=[circle.pk])

    client.force_login(stranger)
    for answer in (client.get(leaving), client.post(leaving)):
        assert answer.status_code == 403
        assert circle.url not in answer.content.decode()
        assert "Location" not in answer

    client.force_login(member)
    assert client.post(leaving).status_code == 302
    assert status_of(circle, member) == Membership.Status.LEFT
