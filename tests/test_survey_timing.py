"""Surveys over a group's life (plugins/surveys): middle and end open at
their point in the group's sessions, later joiners are invited to the
joining survey, which asks the group's goal question, and the group's
e-mails are listed for its facilitators, who can switch them off."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lms_surveys import timing
from lms_surveys.answering import answer_token
from lms_surveys.models import Moment

from sdk import Membership, Session
from sdk.testing import (
    MembershipFactory,
    SessionFactory,
    UserFactory,
    group_with_people,
)
from tests.test_reminders import db_tasks, run_worker  # noqa: F401 (fixture)
from tests.test_surveys import attach, post_answers

pytestmark = pytest.mark.django_db


def meets(people, *days_from_now: int) -> list[Session]:
    """Sessions of the group, each two hours, so many days from now."""
    now = timezone.now().replace(microsecond=0)
    return [
        SessionFactory(cohort=people.group, starts_at=now + timedelta(days=days))
        for days in days_from_now
    ]


def test_middle_and_end_open_at_their_point_in_the_groups_sessions():
    people = group_with_people(plugins=["surveys"])
    first, _, last = meets(people, -10, -2, 6)
    attach(people, "middle"), attach(people, "end")
    # Attached before the first session (one attached later opens at once).
    Moment.objects.update(attached_at=first.starts_at - timedelta(days=1))
    middle, end = Moment.objects.order_by("pk")
    assert (
        timing.opening_of(middle)
        == first.starts_at + (last.ends_at - first.starts_at) / 2
    )
    assert timing.opening_of(end) == last.starts_at
    participant = people.client("participant")
    tab = participant.get(reverse("surveys:group", args=[people.group.pk]))
    assert reverse("surveys:answer", args=[middle.pk]) in tab.content.decode()
    assert reverse("surveys:answer", args=[end.pk]) not in tab.content.decode()
    assert participant.get(reverse("surveys:answer", args=[end.pk])).status_code == 404
    dashboard = participant.get(reverse("dashboard")).content.decode()
    assert reverse("surveys:answer", args=[middle.pk]) in dashboard
    assert reverse("surveys:answer", args=[end.pk]) not in dashboard
    page = people.client("facilitator").get(
        reverse("surveys:group", args=[people.group.pk])
    )
    assert "opens" in page.content.decode()

    # The last session cancelled: the end is the one before it, held.
    Session.objects.filter(pk=last.pk).update(status=Session.Status.CANCELLED)
    end_url = reverse("surveys:answer", args=[end.pk])
    assert participant.get(end_url).status_code == 200
    drafting = people.client("visitor")
    drafting.force_login(MembershipFactory(cohort=people.group).user)
    assert drafting.post(end_url, {"action": "draft"}).status_code == 302
    # The session back (or moved, in the admin say): the opening moves with
    # it; a draft begun meanwhile stays open to its writer.
    Session.objects.filter(pk=last.pk).update(status=Session.Status.SCHEDULED)
    assert participant.get(end_url).status_code == 404
    assert drafting.get(end_url).status_code == 200
    Session.objects.filter(pk=last.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    response = post_answers(participant, reverse("surveys:answer", args=[end.pk]))
    assert response.status_code == 302


def test_a_moment_attached_after_its_point_opens_at_once():
    people = group_with_people(plugins=["surveys"])
    meets(people, -20, -10)
    end = attach(people, "end")
    assert timing.opening_of(end) == end.attached_at
    before = attach(people, "pre")  # untimed, whatever the sessions
    assert timing.opening_of(before) == before.attached_at


@pytest.mark.usefixtures("db_tasks")
def test_a_timed_moments_emails_wait_for_it_to_open_and_follow_its_sessions(
    mailoutbox,
):
    people = group_with_people(plugins=["surveys"])
    *_, last = meets(people, -3, 10)
    attach(people, "end")
    run_worker(due_within=timedelta(days=2))
    assert mailoutbox == []
    # Moved ten days later after its e-mails were queued: the invitation
    # due on the old day finds the survey not open and waits for the new one.
    Session.objects.filter(pk=last.pk).update(
        starts_at=last.starts_at + timedelta(days=10),
        ends_at=last.ends_at + timedelta(days=10),
    )
    run_worker(due_within=timedelta(days=11))
    assert mailoutbox == []
    # The day comes (the session is moved to now rather than the clock on).
    Session.objects.filter(pk=last.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    run_worker(due_within=timedelta(days=21))
    invited = {message.to[0] for message in mailoutbox}
    assert invited == {people.people["participant"].email}
    # Every e-mail due by then went (the reminders' days passed too), once.
    subjects = sorted(message.subject for message in mailoutbox)
    assert len(subjects) == 3 and not subjects[0].startswith("Reminder")
    assert all(subject.startswith("Reminder") for subject in subjects[1:])


@pytest.mark.usefixtures("db_tasks")
def test_someone_who_joins_later_is_invited_to_the_joining_survey(mailoutbox):
    people = group_with_people(plugins=["surveys"])
    attach(people, "joining")
    run_worker(due_within=timedelta(days=1))
    assert [m.to[0] for m in mailoutbox] == [people.people["participant"].email]
    newcomer = UserFactory()
    client = people.client("visitor")
    client.force_login(newcomer)
    response = client.post(reverse("cohorts:join", args=[people.group.pk]))
    assert response.status_code == 302
    run_worker(due_within=timedelta(days=1))
    # The newcomer alone: the others had theirs.
    assert [m.to[0] for m in mailoutbox[1:]] == [newcomer.email]
    link = re.search(r"https?://testserver(/\S+/a/\S+/)", mailoutbox[1].body)[1]
    assert post_answers(people.client("visitor"), link).status_code == 302
    # A facilitator joining is asked nothing; leaving and joining again
    # sends nobody anything twice.
    MembershipFactory(cohort=people.group, role="facilitator")
    client.post(reverse("cohorts:leave", args=[people.group.pk]))
    client.post(reverse("cohorts:join", args=[people.group.pk]))
    run_worker(due_within=timedelta(days=1))
    again = {m.to[0] for m in mailoutbox[2:]}
    assert not again & {newcomer.email, people.people["participant"].email}
    # (The newcomer's leaving gave the waiting person a place: invited.)
    assert people.people["waitlisted"].email in again
    mailoutbox.clear()
    # Reminders: the group's to the participant, who was there when it
    # opened; the one given a place has theirs, counted from then; the
    # newcomer answered.
    run_worker(due_within=timedelta(days=4))
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people.people["participant"].email, people.people["waitlisted"].email]
    )


@pytest.mark.usefixtures("db_tasks")
def test_emails_due_while_switched_off_go_as_one_when_switched_on(mailoutbox):
    people = group_with_people(plugins=["surveys"])
    settings_url = reverse("surveys:settings", args=[people.group.pk])
    facilitator = people.client("facilitator")
    facilitator.post(settings_url, {"invitations": "off"})
    attach(people, "joining")
    run_worker(due_within=timedelta(days=30))
    assert mailoutbox == []
    # Ten days on, every round fell due while they were off.
    Moment.objects.update(attached_at=timezone.now() - timedelta(days=10))
    Membership.objects.update(joined_at=timezone.now() - timedelta(days=11))
    facilitator.post(settings_url, {"invitations": "on"})
    run_worker(due_within=timedelta(days=30))
    assert [m.to[0] for m in mailoutbox] == [people.people["participant"].email]


@pytest.mark.usefixtures("db_tasks")
def test_facilitators_see_the_groups_survey_emails_and_switch_them_off(mailoutbox):
    people = group_with_people(plugins=["surveys"])
    facilitator = people.client("facilitator")
    tab = reverse("surveys:group", args=[people.group.pk])
    settings_url = reverse("surveys:settings", args=[people.group.pk])
    attach(people, "joining")
    run_worker(due_within=timedelta(days=1))
    page = facilitator.get(tab).content.decode()
    assert "Invitation" in page and "Second reminder" in page
    assert re.search(r"Invitation</td>\s*<td>[^<]+</td>\s*<td>1 person</td>", page)

    assert facilitator.post(settings_url, {"invitations": "off"}).status_code == 302
    page = facilitator.get(tab).content.decode()
    assert "switched off" in page and "Switch survey e-mails on" in page
    newcomer = UserFactory()
    client = people.client("visitor")
    client.force_login(newcomer)
    client.post(reverse("cohorts:join", args=[people.group.pk]))
    run_worker(due_within=timedelta(days=30))
    assert len(mailoutbox) == 1  # neither the newcomer's invitation nor reminders
    # Nothing chosen, or nonsense: a message, nothing changed, no error.
    for data in ({}, {"invitations": "maybe"}):
        response = facilitator.post(settings_url, data, follow=True)
        assert response.status_code == 200
        assert "Switch survey e-mails on" in response.content.decode()
    # Only the group's facilitators switch them.
    participant = people.client("participant")
    assert participant.post(settings_url, {"invitations": "on"}).status_code == 403
    assert Moment.objects.filter(cohort=people.group).count() == 1


def test_the_joining_survey_asks_the_groups_goal_question_and_keeps_the_answer():
    prompt = "What do you hope to get out of this circle?"
    people = group_with_people(plugins=["surveys"], goal_prompt=prompt)
    membership = Membership.objects.get(
        cohort=people.group, user=people.people["participant"]
    )
    membership.goal = "Understand the county budget"
    membership.save()
    joining, end = attach(people, "joining"), attach(people, "end")
    participant = people.client("participant")
    url = reverse("surveys:answer", args=[joining.pk])
    page = participant.get(url).content.decode()
    assert prompt in page and "Understand the county budget" in page
    assert (
        prompt
        not in participant.get(
            reverse("surveys:answer", args=[end.pk])
        ).content.decode()
    )
    # Too long: shown again with the rest kept, the goal unchanged.
    response = post_answers(participant, url, goal="x" * 2001)
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.goal == "Understand the county budget"
    response = post_answers(participant, url, goal=" Speak at a hearing ")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.goal == "Speak at a hearing"

    # From an e-mailed link (which may have been forwarded), without being
    # signed in as its person: the goal is neither shown nor changed.
    newcomer = MembershipFactory(cohort=people.group).user
    Membership.objects.filter(user=newcomer).update(goal="Newcomer's own goal")
    link = reverse("surveys:answer_by_link", args=[answer_token(joining, newcomer)])
    visitor = people.client("visitor")
    page = visitor.get(link).content.decode()
    assert prompt not in page and "Newcomer's own goal" not in page
    assert post_answers(visitor, link, goal="Rewritten").status_code == 302
    assert Membership.objects.get(user=newcomer).goal == "Newcomer's own goal"

    # An anonymous survey does not ask it: a goal is kept with the name.
    other = group_with_people(plugins=["surveys"], goal_prompt=prompt)
    anonymous = attach(other, "joining", anonymous=True)
    url = reverse("surveys:answer", args=[anonymous.pk])
    client = other.client("participant")
    assert prompt not in client.get(url).content.decode()
    assert post_answers(client, url, goal="Kept nowhere").status_code == 302
    assert not Membership.objects.filter(goal="Kept nowhere").exists()


@pytest.mark.usefixtures("db_tasks")
def test_a_newcomer_is_invited_to_the_surveys_open_when_they_join(mailoutbox):
    """A survey at the middle, already open, asks a newcomer at once; the
    one at the end, opening later, asks them with everyone else."""
    people = group_with_people(plugins=["surveys"])
    meets(people, -10, 4)
    middle, end = attach(people, "middle"), attach(people, "end")
    assert timing.opening_of(middle) <= timezone.now() < timing.opening_of(end)
    run_worker(due_within=timedelta(days=1))
    mailoutbox.clear()
    newcomer = UserFactory()
    client = people.client("visitor")
    client.force_login(newcomer)
    client.post(reverse("cohorts:join", args=[people.group.pk]))
    run_worker(due_within=timedelta(days=1))
    assert [m.to[0] for m in mailoutbox] == [newcomer.email]
    link = re.search(r"https?://testserver(/\S+/a/\S+/)", mailoutbox[0].body)[1]
    page = people.client("visitor").get(link).content.decode()
    assert "At the middle" in page
