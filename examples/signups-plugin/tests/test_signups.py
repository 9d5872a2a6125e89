from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from lms_signups import hooks
from lms_signups.models import Job, Signup

from sdk import MemberLeft
from sdk.testing import (
    GroupFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
    check_plugin,
    render_panels,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("strict_hooks")]


@pytest.fixture
def group():
    return GroupFactory(plugins=["signups"])


@pytest.fixture
def job(group):
    return Job.objects.create(
        session=SessionFactory(cohort=group), title="Bring snacks"
    )


def member(group, role="participant", **person):
    return MembershipFactory(cohort=group, role=role, user=UserFactory(**person)).user


def sheet(group):
    return reverse("signups:sheet", args=[group.pk])


def act(client, group, job, action):
    url = reverse("signups:job_action", args=[group.pk])
    return client.post(url, {"job": job, "action": action}, follow=True)


def test_the_plugin_meets_the_plugin_contract():
    assert check_plugin("signups") == []


def test_only_the_groups_members_see_the_sheet(client, group, job):
    outsider = UserFactory()
    elsewhere = member(GroupFactory(plugins=["signups"]))
    switched_off = GroupFactory()
    expected = {None: 302, outsider: 404, elsewhere: 404, member(group): 200}
    for person, status in expected.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        assert client.get(sheet(group)).status_code == status, person
    client.force_login(member(switched_off))
    assert client.get(sheet(switched_off)).status_code == 404


def test_a_member_takes_and_releases_a_job(client, group, job):
    person = member(group, first_name="Ana", last_name="Lopez")
    client.force_login(person)
    page = act(client, group, job.pk, "take")
    assert "Thank you: the job is yours." in page.text
    assert "Ana Lopez" in page.text
    assert "You already have this job." in act(client, group, job.pk, "take").text
    act(client, group, job.pk, "release")
    assert not Signup.objects.exists()


def test_a_full_job_cannot_be_taken(client, group, job):
    job.take(member(group))
    client.force_login(member(group))
    page = act(client, group, job.pk, "take")
    assert "Somebody has just taken the last place on this job." in page.text
    assert job.signups.count() == 1


@pytest.mark.parametrize(
    ("job_id", "message"),
    [
        ("", "This field is required."),
        ("²", "Enter a whole number."),
        ("x", "Enter a whole number."),
        ("-1", "Ensure this value is greater than or equal to 1."),
        ("99999999999999999999", "Ensure this value is less than or equal to"),
    ],
)
def test_a_bad_job_is_a_message_not_an_error(client, group, job, job_id, message):
    client.force_login(member(group))
    page = act(client, group, job_id, "take")
    assert page.redirect_chain == [(sheet(group), 302)]
    assert page.status_code == 200 and message in page.text
    assert not Signup.objects.exists()


def test_jobs_of_other_groups_and_past_sessions_are_not_on_the_sheet(client, group):
    other = Job.objects.create(session=SessionFactory(), title="Take notes")
    past = SessionFactory(cohort=group, starts_at=timezone.now() - timedelta(days=1))
    done = Job.objects.create(session=past, title="Welcome newcomers")
    client.force_login(member(group))
    for job in (other, done):
        page = act(client, group, job.pk, "take")
        assert "That job is no longer on the sheet." in page.text
    assert not Signup.objects.exists()


def test_facilitators_add_and_remove_jobs(client, group, job):
    client.force_login(member(group, role="facilitator"))
    assert "csrfmiddlewaretoken" in client.get(sheet(group)).text
    form = {"session": job.session_id, "title": "Take notes", "places": "2"}
    page = client.post(sheet(group), form, follow=True)
    assert "The job is on the sheet." in page.text
    assert Job.objects.get(title="Take notes").places == 2
    act(client, group, job.pk, "remove")
    assert not Job.objects.filter(pk=job.pk).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "bring snacks", "This session already has that job."),
        ("places", "0", "greater than or equal to 1"),
        ("places", "NaN", "Enter a whole number."),
        ("session", "99999999999999999999", "Select a valid choice."),
    ],
)
def test_a_bad_job_is_shown_again_with_what_was_typed(
    client, group, job, field, value, message
):
    client.force_login(member(group, role="facilitator"))
    form = {"session": job.session_id, "title": "Welcome newcomers", "places": "1"}
    page = client.post(sheet(group), {**form, field: value})
    assert page.status_code == 200
    assert message in page.text
    if field != "title":
        assert 'value="Welcome newcomers"' in page.text
    assert Job.objects.count() == 1


def test_participants_cannot_add_or_remove_jobs(client, group, job):
    client.force_login(member(group))
    form = {"session": job.session_id, "title": "Take notes", "places": "1"}
    assert client.post(sheet(group), form).status_code == 403
    assert act(client, group, job.pk, "remove").status_code == 403
    assert Job.objects.count() == 1


def test_youth_groups_show_members_first_names_only(client):
    youth = GroupFactory(plugins=["signups"], is_youth=True)
    job = Job.objects.create(session=SessionFactory(cohort=youth), title="Bring snacks")
    job.take(member(youth, first_name="Sam", last_name="Rivera"))
    client.force_login(member(youth))
    page = client.get(sheet(youth)).text
    assert "Sam" in page and "Rivera" not in page
    client.force_login(member(youth, role="facilitator"))
    assert "Sam Rivera" in client.get(sheet(youth)).text


def test_my_learning_lists_my_jobs_in_groups_using_the_plugin(rf, group, job):
    person = member(group)
    job.take(person)
    switched_off = GroupFactory()
    MembershipFactory(cohort=switched_off, user=person)
    hidden = Job.objects.create(
        session=SessionFactory(cohort=switched_off), title="Chairs"
    )
    Signup.objects.create(job=hidden, user=person)
    request = rf.get("/")
    request.user = person
    (panel,) = [p for p in render_panels(request) if p.plugin == "signups"]
    assert "Bring snacks" in panel.html and "Chairs" not in panel.html
    request.user = member(group)
    assert [p for p in render_panels(request) if p.plugin == "signups"] == []


def test_the_panel_takes_one_query(rf, group, job, django_assert_num_queries):
    request = rf.get("/")
    request.user = member(group)
    job.take(request.user)
    with django_assert_num_queries(1):
        (panel,) = render_panels(request, plugins=["signups"])
    assert "Bring snacks" in panel.html


def test_jobs_filled_by_group(group, job):
    job.take(member(group))
    Job.objects.create(session=job.session, title="Take notes", places=2)
    (measure,) = hooks.lms_measures(program=group.program)
    assert (measure.key, measure.value, measure.by_group) == (
        "signups.jobs_filled",
        1,
        {group.pk: 1},
    )
    assert hooks.lms_measures(program=None)[0].value == 0


def test_export_erase_and_leaving(group, job):
    person = member(group)
    job.take(person)
    (exported,) = hooks.lms_export_user_data(user=person)["jobs"]
    assert (exported["job"], exported["group"]) == ("Bring snacks", group.title)
    hooks.lms_handle_event(event=MemberLeft(cohort_id=group.pk, user_id=person.pk))
    assert not Signup.objects.exists()
    job.take(person)
    hooks.lms_erase_user_data(user=person)
    assert not Signup.objects.exists()


def test_the_tab_is_in_spanish(group):
    with translation.override("es"):
        (tab,) = hooks.lms_cohort_tabs(cohort=group, user=member(group))
    assert tab.label == "Apuntarse"
