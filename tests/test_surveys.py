"""The surveys plugin (plugins/surveys): attaching, answering on the site and
from an e-mail link, drafts, one answer per person, results, anonymity,
measures, personal data, and who may see what."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from lms_surveys import answering
from lms_surveys import results as results_module
from lms_surveys.access import check_in_sessions
from lms_surveys.models import Answer, Moment, Response, Submission, Survey
from lms_surveys.wagtail_hooks import LeadsBuildSurveys
from openpyxl import load_workbook
from wagtail.models import Locale

from insights.logic_models import LogicModel
from lms.plugins import call_each, collect, settings_problems
from sdk import Membership
from sdk.testing import (
    MembershipFactory,
    SessionFactory,
    UserFactory,
    access_problems,
    check_plugin,
    group_with_people,
)
from tests.helpers import panel_of
from tests.test_reminders import db_tasks, run_worker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SCALE, CHOICE, TEXT, GOAL, NUMBER, MANY = (
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
    "33333333-3333-4333-8333-333333333333",
    "44444444-4444-4444-8444-444444444444",
    "55555555-5555-4555-8555-555555555555",
    "66666666-6666-4666-8666-666666666666",
)
SECRET = "SECRET-my-board-chair-ignores-us"


def questions(spanish=False):
    def say(english, spanish_text):
        return spanish_text if spanish else english

    return [
        {
            "type": "scale",
            "id": SCALE,
            "value": {
                "text": say("How confident?", "¿Cuánta confianza?"),
                "required": True,
                "low_label": "Low",
                "high_label": "High",
                "measure": True,
            },
        },
        {
            "type": "single_choice",
            "id": CHOICE,
            "value": {
                "text": say("Pace", "Ritmo"),
                "choices": [say("Slow", "Lento"), say("Right", "Bien")],
            },
        },
        {
            "type": "multiple_choice",
            "id": MANY,
            "value": {"text": "Topics", "choices": ["Budget", "Press", "Partners"]},
        },
        {"type": "long_text", "id": TEXT, "value": {"text": "What would you change?"}},
        {"type": "goal_met", "id": GOAL, "value": {"text": "Goal met?"}},
        {
            "type": "number",
            "id": NUMBER,
            "value": {"text": "Hours practised", "minimum": 0, "maximum": 100},
        },
    ]


def make_survey(anonymous=False, slug="check-in"):
    english = Survey.objects.create(
        title="Check-in",
        slug=slug,
        anonymous=anonymous,
        locale=Locale.objects.get(language_code="en"),
        questions=questions(),
    )
    spanish = english.copy_for_translation(
        Locale.objects.get_or_create(language_code="es")[0]
    )
    spanish.title = "Evaluación"
    spanish.questions = questions(spanish=True)
    spanish.save()
    return english


def post_answers(client, url, **extra):
    data = {
        f"q-{SCALE}": "4",
        f"q-{CHOICE}": "1",
        f"q-{MANY}": ["0", "2"],
        f"q-{TEXT}": SECRET,
        f"q-{GOAL}": "2",
        f"q-{NUMBER}": "7",
        "action": "submit",
    }
    data.update(extra)
    return client.post(url, data)


def attach(people, kind="end", anonymous=False):
    survey = make_survey(anonymous, slug=f"s-{kind}-{anonymous}")
    response = people.client("facilitator").post(
        reverse("surveys:attach", args=[people.group.pk]),
        {"survey": survey.pk, "kind": kind},
    )
    assert response.status_code == 302
    return Moment.objects.get(cohort=people.group, kind=kind)


def test_conforms():
    assert check_plugin("surveys") == []


def test_answering_on_the_site_and_from_a_link(db, mailoutbox):
    people = group_with_people(plugins=["surveys"])
    participant = people.people["participant"]
    moment = attach(people)
    # Twice at one moment: a clear refusal, not a second row.
    again = people.client("facilitator").post(
        reverse("surveys:attach", args=[people.group.pk]),
        {"survey": moment.survey_id, "kind": "end"},
        follow=True,
    )
    assert "already has a survey" in again.content.decode()
    client = people.client("participant")
    tab = client.get(reverse("surveys:group", args=[people.group.pk])).content.decode()
    url = reverse("surveys:answer", args=[moment.pk])
    assert url in tab
    panel, queries = panel_of(participant, "surveys")
    assert url in panel and queries <= 1

    # Bad input: a clear error, the typed text kept on the page and as a draft.
    bad = post_answers(client, url, **{f"q-{SCALE}": "9", f"q-{NUMBER}": "NaN"})
    assert bad.status_code == 400
    assert SECRET in bad.content.decode()
    assert Response.objects.get(respondent=participant).draft[f"q-{TEXT}"] == [SECRET]
    # Half-way, saved and left: shown again, in Spanish for a Spanish reader.
    client.post(url, {f"q-{TEXT}": "half", f"q-{MANY}": ["0", "2"], "action": "draft"})
    with translation.override("es"):
        page = client.get(reverse("surveys:answer", args=[moment.pk])).content.decode()
    assert "¿Cuánta confianza?" in page and "half</textarea>" in page
    ticked = re.findall(rf'name="q-{MANY}" value="(\d)"[^>]*checked', page)
    assert ticked == ["0", "2"]
    assert Submission.objects.count() == 0

    assert post_answers(client, url).status_code == 302
    # A second submit, or two at once, never makes two.
    assert "Your answers are in" in post_answers(client, url).content.decode()
    assert not answering.submit(moment, participant, None, None)
    response = Response.objects.get(respondent=participant)
    assert response.submitted_at and response.draft == {}
    assert Submission.objects.get().response == response
    assert sorted(
        Answer.objects.filter(question=MANY).values_list("number", flat=True)
    ) == [0, 2]
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(moment=moment, respondent=participant)
    assert "Your answers are in" in client.get(url).content.decode()
    assert url not in panel_of(participant, "surveys")[0]

    # From an e-mail: no login; works until the answers are in, then says so.
    other = MembershipFactory(cohort=people.group).user
    link = reverse(
        "surveys:answer_by_link", args=[answering.answer_token(moment, other)]
    )
    anonymous = people.client("visitor")
    assert "How confident?" in anonymous.get(link).content.decode()
    assert post_answers(anonymous, link).status_code == 302
    assert Response.objects.get(respondent=other).submitted_at is not None
    assert "Your answers are in" in anonymous.get(link).content.decode()
    assert anonymous.get(link[:-6] + "xx/").status_code == 400
    # Expired, or for someone who has left, or for a detached moment: refused.
    with translation.override("en"):
        expired = answering.answer_token(moment, participant)
    later = timezone.now() + timedelta(days=31)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("time.time", lambda: later.timestamp())
        assert (
            anonymous.get(reverse("surveys:answer_by_link", args=[expired])).status_code
            == 400
        )
    left = reverse(
        "surveys:answer_by_link",
        args=[answering.answer_token(moment, people.people["left"])],
    )
    assert anonymous.get(left).status_code == 400
    people.client("facilitator").post(reverse("surveys:detach", args=[moment.pk]))
    moment.refresh_from_db()
    assert moment.detached_at is not None  # answered: kept, waiting for no one
    assert client.get(url).status_code == 404


def test_anonymous_results_never_per_person(db):
    people = group_with_people(plugins=["surveys"])
    moment = attach(people, anonymous=True)
    respondents = [people.people["participant"]] + [
        MembershipFactory(cohort=people.group, user__first_name=f"Named{n}").user
        for n in range(4)
    ]
    for person in respondents[:4]:
        client = people.client("visitor")
        client.force_login(person)
        post_answers(client, reverse("surveys:answer", args=[moment.pk]))
    assert Submission.objects.filter(response__isnull=False).count() == 0
    results = reverse("surveys:results", args=[moment.pk])
    export = reverse("surveys:results_csv", args=[moment.pk])
    staff = people.client("facilitator")
    # Four answers: below the threshold, nothing but the rate.
    page = staff.get(results).content.decode()
    assert "4 of" in page and SECRET not in page and "How confident?" not in page
    assert "How confident" not in staff.get(export).content.decode()
    assert collect("lms_reports", cohort=people.group)[0].rows == []
    # Nor in the program's measures: a group's average of a few is theirs.
    measures = {
        m.key: m
        for m in collect("lms_measures", program=people.group.program, period=None)
        if m.key.startswith("surveys.")
    }
    for key in ("surveys.scale_average", "surveys.goal_met"):
        assert measures[key].value == 0 and not measures[key].by_group, key
    client = people.client("visitor")
    client.force_login(respondents[4])
    post_answers(client, reverse("surveys:answer", args=[moment.pk]))
    page = staff.get(results).content.decode()
    assert "How confident?" in page and "<svg" in page and "average 4.0" in page
    for body in (page, staff.get(export).content.decode()):
        assert not any(person.first_name in body for person in respondents)
    rows = list(csv.reader(io.StringIO(staff.get(export).content.decode())))
    assert ["How confident?", "4", "5", ""] in rows
    assert ["How confident?", "", "5", "4.00"] in rows
    # A person's export says they answered, not what; nobody else's has it.
    for person in (respondents[0], people.people["facilitator"]):
        exported = str(call_each("lms_export_user_data", user=person))
        assert SECRET not in exported
    assert "'submitted_at'" in str(
        call_each("lms_export_user_data", user=respondents[0])
    )
    # Erased: their response goes; the anonymous answers, linked to no one, stay.
    call_each("lms_erase_user_data", user=respondents[0])
    assert not Response.objects.filter(respondent=respondents[0]).exists()
    assert Submission.objects.count() == 5


def test_named_results_measures_and_query_counts(db, django_assert_max_num_queries):
    people = group_with_people(plugins=["surveys"])
    moment = attach(people, kind="after_session")
    held = SessionFactory(
        cohort=people.group, starts_at=timezone.now() - timedelta(hours=3)
    )
    client = people.client("participant")
    tab = client.get(reverse("surveys:group", args=[people.group.pk])).content.decode()
    url = reverse("surveys:answer_session", args=[moment.pk, held.pk])
    assert url in tab
    formula = '=HYPERLINK("https://example.com")'
    post_answers(client, url, **{f"q-{TEXT}": formula})
    staff = people.client("facilitator")
    page = staff.get(reverse("surveys:results", args=[moment.pk])).content.decode()
    name = people.people["participant"].first_name
    assert name in page and "HYPERLINK" in page  # named: per person, for staff
    rows = list(
        csv.reader(
            io.StringIO(
                staff.get(
                    reverse("surveys:results_csv", args=[moment.pk])
                ).content.decode()
            )
        )
    )
    assert rows[1][0].startswith(name) and "Budget; Partners" in rows[1]
    assert "'" + formula in rows[1]  # what was typed, never run as a formula
    measures = {
        m.key: m
        for m in collect("lms_measures", program=people.group.program, period=None)
    }
    assert measures["surveys.response_rate"].value == 100.0
    assert measures["surveys.scale_average"].value == 4.0
    assert measures["surveys.goal_met"].value == 100.0
    assert {m.key for m in collect("lms_measures", program=None, period=None)} >= set(
        measures
    )

    def results_queries():
        with CaptureQueriesContext(connection) as queries:
            assert (
                staff.get(reverse("surveys:results", args=[moment.pk])).status_code
                == 200
            )
        return len(queries)

    def answered_by(count):
        """`count` more people's named answers (beside the participant's)."""
        people_now = get_user_model().objects.bulk_create(
            UserFactory.build_batch(count)
        )
        Membership.objects.bulk_create(
            MembershipFactory.build(cohort=people.group, user=person)
            for person in people_now
        )
        responses = Response.objects.bulk_create(
            Response(
                moment=moment,
                session=held,
                respondent=person,
                submitted_at=timezone.now(),
            )
            for person in people_now
        )
        submissions = Submission.objects.bulk_create(
            Submission(moment=moment, session=held, response=response)
            for response in responses
        )
        Answer.objects.bulk_create(
            Answer(submission=s, question=q, number=n % 5 + 1)
            for n, s in enumerate(submissions)
            for q in (SCALE, CHOICE)
        )

    # Each count is taken on a second visit: adding people drops the site's
    # cached layout (settings, menus), which the first visit builds again.
    answered_by(9)
    results_queries()
    ten = results_queries()  # 10 answers
    answered_by(1990)
    results_queries()
    with django_assert_max_num_queries(ten):
        results_queries()  # 2,000 answers: as many queries
    assert ten <= 20, ten


def test_rates_and_measures_cost_the_same_queries_for_more_moments(db):
    """The group's surveys tab and the program's measures read every
    moment's response rate in the same queries, one moment or four (a
    check-in with its sessions among them), and the rates are each moment's
    own."""
    people = group_with_people(plugins=["surveys"])
    check_in = attach(people, kind="after_session")
    for hours_ago in (20, 3):
        SessionFactory(
            cohort=people.group, starts_at=timezone.now() - timedelta(hours=hours_ago)
        )
    staff = people.client("facilitator")
    tab = reverse("surveys:group", args=[people.group.pk])
    program = people.group.program

    def queries():
        with CaptureQueriesContext(connection) as tab_queries:
            assert staff.get(tab).status_code == 200
        with CaptureQueriesContext(connection) as measure_queries:
            collect("lms_measures", program=program, period=None)
        return len(tab_queries), len(measure_queries)

    queries()  # the site's cached layout, built once
    one = queries()
    first_held = check_in_sessions(check_in).order_by("starts_at").first()
    post_answers(
        people.client("participant"),
        reverse(
            "surveys:answer_session",
            args=[check_in.pk, first_held.pk],
        ),
    )
    for kind in ("joining", "middle", "end"):
        attach(people, kind=kind)
    moments = list(Moment.objects.filter(cohort=people.group))
    queries()
    tab_queries, measure_queries = queries()
    assert tab_queries <= one[0] and measure_queries <= one[1], (queries(), one)
    rates = results_module.rates_of(moments)
    assert len(rates[check_in.pk]) == 2
    assert [rate.answered for rate in rates[check_in.pk]] == [1, 0]
    for moment in moments:
        assert rates[moment.pk] == results_module.response_rates(moment)


def test_the_waiting_panel_is_kept_until_something_it_shows_changes(
    db, django_capture_on_commit_callbacks
):
    """My learning's "surveys waiting" panel is kept (no query on the next
    visit) and dropped when a survey is attached or detached, when the
    person answers or leaves the group; not when someone else answers."""
    people = group_with_people(plugins=["surveys"])
    participant, other = people.people["participant"], people.people["other_group"]
    Membership.objects.create(
        cohort=people.group, user=other, role=Membership.Role.PARTICIPANT
    )
    assert panel_of(participant, "surveys")[0] == ""
    ending = attach(people, kind="end")
    html, queries = panel_of(participant, "surveys")
    assert "Check-in" in html and queries > 0
    assert panel_of(participant, "surveys")[1] == 0

    post_answers(
        people.client("other_group"), reverse("surveys:answer", args=[ending.pk])
    )
    assert panel_of(participant, "surveys")[1] == 0  # someone else's answer
    # A draft kept: the survey still waits, and is read again once answered.
    answer = reverse("surveys:answer", args=[ending.pk])
    post_answers(people.client("participant"), answer, action="draft")
    assert "Check-in" in panel_of(participant, "surveys")[0]
    post_answers(people.client("participant"), answer)
    assert panel_of(participant, "surveys")[0] == ""  # answered: nothing waits

    middle = attach(people, kind="middle")
    assert (
        reverse("surveys:answer", args=[middle.pk])
        in panel_of(participant, "surveys")[0]
    )
    # Detached once someone answered: kept with its answers, and waits no more.
    post_answers(
        people.client("other_group"), reverse("surveys:answer", args=[middle.pk])
    )
    people.client("facilitator").post(reverse("surveys:detach", args=[middle.pk]))
    assert Moment.objects.get(pk=middle.pk).detached_at is not None
    assert panel_of(participant, "surveys")[0] == ""

    attach(people, kind="joining")
    assert "Check-in" in panel_of(participant, "surveys")[0]
    with django_capture_on_commit_callbacks(execute=True):  # the event
        people.client("participant").post(
            reverse("cohorts:leave", args=[people.group.pk])
        )
    assert panel_of(participant, "surveys")[0] == ""


def test_who_sees_what(db):
    """Roles the site-wide matrix (tests/test_access_matrix.py) does not
    tell apart: those who left or wait, the group's lead role."""
    people = group_with_people(plugins=["surveys"])
    moment = attach(people)
    post_answers(
        people.client("participant"), reverse("surveys:answer", args=[moment.pk])
    )
    # A facilitator's reflection on a session held: for the group's staff.
    held = SessionFactory(
        cohort=people.group, starts_at=timezone.now() - timedelta(days=2)
    )
    reflection = reverse("surveys:reflection", args=[held.pk])
    saved = people.client("facilitator").post(
        reflection, {"went_well": "REFLECTION-role-play", "to_change": ""}
    )
    assert saved.status_code == 302
    member_only = {
        "visitor": "login",
        "participant": 200,
        "facilitator": 200,
        "group_lead": 200,
        "*": 404,
    }
    staff = {"visitor": "login", "facilitator": 200, "group_lead": 200, "*": 404}
    expected = {
        reverse("surveys:group", args=[people.group.pk]): member_only,
        reverse("surveys:answer", args=[moment.pk]): {
            "visitor": "login",
            "participant": 200,
            "*": 404,
        },
        reverse("surveys:results", args=[moment.pk]): {
            **staff,
            "program_lead": 200,
            "superuser": 200,
            "*": 403,
        },
        reflection: staff,
    }
    private = {
        SECRET: {"facilitator", "group_lead", "program_lead", "superuser"},
        "REFLECTION-role-play": {"facilitator", "group_lead"},
    }
    assert access_problems(people, expected, private=private) == []
    refused = people.client("facilitator").post(reflection, {"went_well": " "})
    assert refused.status_code == 400 and "at least one" in refused.content.decode()
    exported = call_each("lms_export_user_data", user=people.people["facilitator"])
    assert "REFLECTION-role-play" in str(exported)
    # Program leads build surveys in the admin; facilitators do not.
    lead = people.people["program_lead"]
    assert (
        people.client("facilitator")
        .get(reverse("wagtailsnippets_surveys_survey:list"))
        .status_code
        == 302
    )
    admin = people.client("program_lead").get(
        reverse("wagtailsnippets_surveys_survey:list")
    )
    assert admin.status_code == 200 and "Check-in" in admin.content.decode()
    # Answered: neither deleted nor turned anonymous.
    policy = LeadsBuildSurveys(Survey)
    assert not policy.user_has_permission_for_instance(lead, "delete", moment.survey)
    moment.survey.anonymous = True
    with pytest.raises(ValidationError):
        moment.survey.full_clean()
    # Nor by code that saves it without cleaning it.
    with pytest.raises(ValidationError):
        moment.survey.save()
    moment.survey.refresh_from_db()
    assert moment.survey.anonymous is False
    moment.survey.title = "Check-in, reworded"
    moment.survey.save()  # anything else still changes


@pytest.mark.usefixtures("db_tasks")
def test_emails_invite_then_remind_at_most_twice(db, mailoutbox):
    people = group_with_people(plugins=["surveys"])
    quiet = MembershipFactory(cohort=people.group).user
    moment = attach(people)  # queues the invitation and two reminders
    run_worker(due_within=timedelta(days=2))
    invited = {message.to[0] for message in mailoutbox}
    assert invited == {people.people["participant"].email, quiet.email}
    link = re.search(r"https?://testserver(/\S+/a/\S+/)", mailoutbox[0].body)[1]
    person = next(
        p
        for p in (quiet, people.people["participant"])
        if p.email == mailoutbox[0].to[0]
    )
    assert post_answers(people.client("visitor"), link).status_code == 302
    people.client("facilitator").post(
        reverse("surveys:settings", args=[people.group.pk]), {"reminders": "off"}
    )
    run_worker(due_within=timedelta(days=4))
    assert len(mailoutbox) == 2  # reminders off: none
    people.client("facilitator").post(
        reverse("surveys:settings", args=[people.group.pk]), {"reminders": "on"}
    )
    run_worker(due_within=timedelta(days=30))
    # The one who answered gets nothing more; the other both reminders (the
    # first, due while reminders were off, goes once they are on again), and
    # never more than two.
    later = [message.to[0] for message in mailoutbox[2:]]
    assert person.email not in later and len(later) == 2
    assert moment.pk and "Reminder" in mailoutbox[-1].subject


def test_pre_post_change_per_person(db):
    people = group_with_people(plugins=["surveys"])
    pre = attach(people, kind="pre")
    post = Moment.objects.create(cohort=people.group, survey=pre.survey, kind="post")
    other = MembershipFactory(cohort=people.group, user__first_name="Other").user
    for moment, person, point in (
        (pre, people.people["participant"], "2"),
        (post, people.people["participant"], "5"),
        (pre, other, "3"),
        (post, other, "4"),
    ):
        client = people.client("visitor")
        client.force_login(person)
        post_answers(
            client, reverse("surveys:answer", args=[moment.pk]), **{f"q-{SCALE}": point}
        )
    page = people.client("facilitator").get(reverse("surveys:results", args=[post.pk]))
    body = page.content.decode()
    assert "Before and after" in body and "2 → 5" in body and "3 → 4" in body
    assert "2.00 (2 people answered both)" in body
    measures = {
        m.key: m.value
        for m in collect("lms_measures", program=people.group.program, period=None)
    }
    assert measures["surveys.pre_post_change"] == 2.0


def test_an_anonymous_before_held_back_stays_back_beside_its_after(db):
    """One person answered the anonymous before: the after's page (five
    answers) must not show that one answer as the group's "before"."""
    people = group_with_people(plugins=["surveys"])
    pre = attach(people, kind="pre", anonymous=True)
    post = Moment.objects.create(cohort=people.group, survey=pre.survey, kind="post")
    respondents = [
        MembershipFactory(cohort=people.group, user__first_name=f"P{n}").user
        for n in range(5)
    ]
    answering = [(pre, respondents[0], "1")] + [
        (post, each, "4") for each in respondents
    ]
    for moment, person, point in answering:
        client = people.client("visitor")
        client.force_login(person)
        post_answers(
            client, reverse("surveys:answer", args=[moment.pk]), **{f"q-{SCALE}": point}
        )
    change = results_module.pre_post(post, pre.survey.question_list())
    assert change is not None
    assert all(each.before is None for each in change.changes)
    assert any(each.after == 4.0 for each in change.changes)


def test_an_anonymous_check_in_shows_its_sessions_only_together(db):
    """Six answers over two sessions, five in one: that session's results
    would be shown (five), and the total less them is the one person of the
    other. So `?session=` is not heeded for an anonymous check-in."""
    people = group_with_people(plugins=["surveys"])
    moment = attach(people, kind="after_session", anonymous=True)
    now = timezone.now()
    crowded, lonely = (
        SessionFactory(cohort=people.group, starts_at=now - timedelta(hours=hours))
        for hours in (5, 3)
    )
    respondents = [
        MembershipFactory(cohort=people.group, user__first_name=f"P{n}").user
        for n in range(6)
    ]
    for person, session in zip(respondents, [crowded] * 5 + [lonely], strict=True):
        client = people.client("visitor")
        client.force_login(person)
        url = reverse("surveys:answer_session", args=[moment.pk, session.pk])
        assert post_answers(client, url).status_code == 302
    results = reverse("surveys:results", args=[moment.pk])
    staff = people.client("facilitator")
    for session in (crowded, lonely):
        page = staff.get(results, {"session": session.pk})
        assert (page.context["session_id"], page.context["count"]) == (None, 6)
    # A named check-in keeps its sessions apart.
    others = group_with_people(plugins=["surveys"])
    named = attach(others, kind="after_session")
    held = SessionFactory(cohort=others.group, starts_at=now - timedelta(hours=3))
    url = reverse("surveys:answer_session", args=[named.pk, held.pk])
    assert post_answers(others.client("participant"), url).status_code == 302
    results = reverse("surveys:results", args=[named.pk])
    for session, count in ((held, 1), (crowded, 0)):
        page = others.client("facilitator").get(results, {"session": session.pk})
        assert (page.context["session_id"], page.context["count"]) == (
            session.pk,
            count,
        )


def test_a_facilitator_shares_the_charts_with_the_group_never_words_or_names(db):
    people = group_with_people(plugins=["surveys"])
    moment = attach(people, anonymous=True)
    participant = people.client("participant")
    tab = reverse("surveys:group", args=[people.group.pk])
    share = reverse("surveys:share", args=[moment.pk])
    writers = [
        MembershipFactory(cohort=people.group, user__first_name=f"Writer{n}").user
        for n in range(5)
    ]
    for person in writers[:4]:
        client = people.client("visitor")
        client.force_login(person)
        post_answers(client, reverse("surveys:answer", args=[moment.pk]))
    # A participant cannot share; the facilitator can, from the results page.
    assert participant.post(share, {"on": "1"}).status_code == 403
    staff = people.client("facilitator")
    results = staff.get(reverse("surveys:results", args=[moment.pk])).content.decode()
    assert share not in results  # four anonymous answers: nothing to share yet
    assert staff.post(share, {"on": "1"}).status_code == 302
    assert "What the group answered" not in participant.get(tab).content.decode()
    client = people.client("visitor")
    client.force_login(writers[4])
    post_answers(client, reverse("surveys:answer", args=[moment.pk]))
    results = staff.get(reverse("surveys:results", args=[moment.pk])).content.decode()
    assert share in results and "Stop sharing with the group" in results
    page = participant.get(tab).content.decode()
    assert "What the group answered" in page and "5 people answered" in page
    assert "How confident?" in page and "average 4.0" in page
    assert SECRET not in page  # no text answers
    assert not any(person.first_name in page for person in writers)
    assert staff.post(share, {"on": "0"}).status_code == 302
    assert "What the group answered" not in participant.get(tab).content.decode()
    assert staff.post(share, {"on": "maybe"}).status_code == 400
    # A named survey too: among fewer than the threshold, a chart tells the
    # others what each one answered.
    named = attach(people, kind="middle")
    client = people.client("visitor")
    client.force_login(writers[0])
    post_answers(client, reverse("surveys:answer", args=[named.pk]))
    named_share = reverse("surveys:share", args=[named.pk])
    assert staff.post(named_share, {"on": "1"}).status_code == 302
    assert "What the group answered" not in participant.get(tab).content.decode()


def answered(moment, count: int, named: bool) -> None:
    """`count` more people's answers to `moment` (scale and choice)."""
    people = get_user_model().objects.bulk_create(UserFactory.build_batch(count))
    Membership.objects.bulk_create(
        MembershipFactory.build(cohort=moment.cohort, user=person) for person in people
    )
    responses = Response.objects.bulk_create(
        Response(moment=moment, respondent=person, submitted_at=timezone.now())
        for person in people
    )
    submissions = Submission.objects.bulk_create(
        Submission(moment=moment, response=response if named else None)
        for response in responses
    )
    Answer.objects.bulk_create(
        Answer(submission=each, question=question, number=n % 5 + 1)
        for n, each in enumerate(submissions)
        for question in (SCALE, CHOICE)
    )
    # The database's statistics, as autovacuum would keep them after such an
    # insert (it never sees a test's rows: they are never committed). On
    # PostgreSQL the test took 200 s instead of 8 in runs that had just built
    # their template, as if planning these rows with older statistics.
    with connection.cursor() as cursor:
        for model in (get_user_model(), Membership, Response, Submission, Answer):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def test_results_downloads_and_the_funder_report_cost_as_much_for_2000_answers(db):
    """The anonymous results page, both kinds of CSV, the group's XLSX (a
    sheet of the surveys) and the program's funder report (the surveys'
    measures among its other measures): as many queries for 2,000 answers
    as for 10."""
    people = group_with_people(plugins=["surveys"])
    anonymous = attach(people, kind="end", anonymous=True)
    named = attach(people, kind="middle")
    model = LogicModel.objects.create(
        program=people.group.program,
        period="this year",
        starts_on=timezone.localdate() - timedelta(days=100),
        ends_on=timezone.localdate() + timedelta(days=100),
    )
    staff, lead = people.client("facilitator"), people.client("program_lead")
    funder_report = reverse(
        "cohorts:logic_model", args=[people.group.program.slug, model.pk]
    )
    addresses = [
        (staff, reverse("surveys:results", args=[anonymous.pk])),
        (staff, reverse("surveys:results_csv", args=[anonymous.pk])),
        (staff, reverse("surveys:results_csv", args=[named.pk])),
        (staff, reverse("cohorts:reports", args=[people.group.pk]) + "?download=xlsx"),
        (lead, funder_report + "?download=xlsx"),
    ]

    def queries() -> list[int]:
        counts = []
        for client, url in addresses:
            # What the site caches (menus, settings) is built again on the
            # first visits after people are added.
            client.get(url)
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            counts.append(len(captured))
        return counts

    for moment in (anonymous, named):
        answered(moment, 10, named=moment == named)
    ten = queries()
    group_book = load_workbook(io.BytesIO(staff.get(addresses[3][1]).content))
    surveys_sheet = next(s for s in group_book.worksheets if "Survey" in s.title)
    assert any(anonymous.survey.title in str(row) for row in surveys_sheet.values)
    funder_book = load_workbook(io.BytesIO(lead.get(addresses[4][1]).content))
    measures = next(s for s in funder_book.worksheets if "Other measures" in s.title)
    assert any("Survey response rate" in str(row) for row in measures.values)
    for moment in (anonymous, named):
        answered(moment, 1990, named=moment == named)
    assert queries() == ten
    rows = list(csv.reader(io.StringIO(staff.get(addresses[2][1]).content.decode())))
    assert len(rows) == 2001  # the heading and a row per person


@pytest.mark.parametrize("threshold", [2, 0, -5, "5", 4.5, None, True])
def test_an_anonymity_threshold_under_three_stops_start_up(settings, threshold):
    """Below three answers shown together, each of two people could work out
    what the other answered."""
    config = apps.get_app_config("surveys")
    settings.LMS_PLUGINS_CONFIG = {"surveys": {"anonymous_threshold": threshold}}
    with pytest.raises(ImproperlyConfigured, match=r"'surveys'.*anonymous_threshold"):
        config.ready()
    settings.LMS_PLUGINS_CONFIG = {"surveys": {"anonymous_threshold": 3}}
    assert settings_problems(config) == []
    settings.LMS_PLUGINS_CONFIG = {"surveys": {"link_days": 0}}
    assert settings_problems(config) == [
        "'link_days' must be a whole number of days, at least 1"
    ]


def test_one_survey_serves_two_groups_each_with_its_own_results(db):
    """Leads build a survey once; each group that attaches it answers and
    reads its own. The scale's end labels are shown with its points."""
    people = group_with_people(plugins=["surveys"])
    moment = attach(people, kind="end")
    other = Moment.objects.create(
        cohort=people.other_group, survey=moment.survey, kind="end"
    )
    page = people.client("participant").get(reverse("surveys:answer", args=[moment.pk]))
    assert "1 (Low)" in page.content.decode() and "5 (High)" in page.content.decode()
    post_answers(
        people.client("participant"), reverse("surveys:answer", args=[moment.pk])
    )
    other_person = people.client("visitor")
    other_person.force_login(people.people["other_group"])
    post_answers(
        other_person, reverse("surveys:answer", args=[other.pk]), **{f"q-{SCALE}": "1"}
    )
    assert results_module.submissions(moment).count() == 1
    assert results_module.submissions(other).count() == 1
    page = people.client("facilitator").get(
        reverse("surveys:results", args=[moment.pk])
    )
    assert people.people["participant"].get_full_name() in page.content.decode()
    assert people.people["other_group"].get_full_name() not in page.content.decode()
    # The other group's results are not this group's facilitator's to read.
    assert people.client("facilitator").get(
        reverse("surveys:results", args=[other.pk])
    ).status_code in {403, 404}
