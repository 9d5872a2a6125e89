"""Program leads reach only the programs they lead (Program.leads), every
staff change to memberships is in the audit log, and superusers alone read
and export that log in the admin."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from django.utils import timezone
from lms_coaching.models import CoachingSession
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cohorts import permissions
from cohorts.models import Membership, Program
from lms.audit import AuditEntry, record
from lms.roles import PROGRAM_LEADS
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OTHER = "other-program-person@example.org"


@pytest.fixture
def programs(home_page):
    """Two programs, a group in each, and a lead of each."""
    found = {}
    for slug in ("ours", "theirs"):
        program = Program.objects.create(name=f"Program {slug}", slug=slug)
        lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
        program.leads.add(lead)
        cohort = CohortPageFactory(
            parent=home_page, program=program, plugins=["grantwriting", "coaching"]
        )
        found[slug] = {"program": program, "lead": lead, "cohort": cohort}
    MembershipFactory(cohort=found["ours"]["cohort"])
    MembershipFactory(cohort=found["theirs"]["cohort"], user__email=OTHER)
    return found


def membership_form(cohort, user, role="participant", status="active"):
    return {
        "cohort": cohort.pk,
        "user": user.pk,
        "role": role,
        "status": status,
        "goal": "",
        "goal_met": "",
    }


def test_a_visitor_leads_no_group_and_a_lead_only_their_programs(programs):
    """`leads_cohort` answers for the views that call it: a view reached
    without signing in must find nobody leading the group."""
    ours, theirs = programs["ours"], programs["theirs"]
    assert not permissions.leads_cohort(AnonymousUser(), ours["cohort"])
    assert permissions.leads_cohort(ours["lead"], ours["cohort"])
    assert not permissions.leads_cohort(ours["lead"], theirs["cohort"])


def test_a_superuser_manages_groups_outside_every_program_too(
    admin_client, admin_user, home_page, programs
):
    """A group need not belong to a program; superusers manage it all the
    same (its memberships are listed in the admin), leads do not."""
    loose = CohortPageFactory(parent=home_page, program=None)
    member = MembershipFactory(cohort=loose, user__email="loose@example.org")
    assert loose in permissions.managed_cohorts(admin_user)
    assert loose not in permissions.managed_cohorts(programs["ours"]["lead"])
    listing = admin_client.get("/admin/cohorts/memberships/").content.decode()
    assert member.user.email in listing


def test_a_lead_lists_and_edits_only_their_programs_memberships(client, programs):
    ours, theirs = programs["ours"], programs["theirs"]
    client.force_login(ours["lead"])
    listing = client.get("/admin/cohorts/memberships/").content.decode()
    ours_member = Membership.objects.get(cohort=ours["cohort"]).user
    assert ours_member.email in listing and OTHER not in listing
    other = Membership.objects.get(cohort=theirs["cohort"])
    edit = f"/admin/cohorts/memberships/edit/{other.pk}/"
    assert client.get(edit).status_code == 404
    post = membership_form(theirs["cohort"], other.user, role="facilitator")
    assert client.post(edit, post).status_code == 404
    own = Membership.objects.get(cohort=ours["cohort"])
    for view in ("history", "usage"):
        page = client.get(f"/admin/cohorts/memberships/{view}/{other.pk}/")
        assert page.status_code == 404
        page = client.get(f"/admin/cohorts/memberships/{view}/{own.pk}/")
        assert page.status_code == 200
    delete = f"/admin/cohorts/memberships/delete/{other.pk}/"
    assert client.post(delete).status_code == 404
    other.refresh_from_db()
    assert other.role == "participant"
    # Nor can they make themselves a facilitator of the other program's group.
    response = client.post(
        "/admin/cohorts/memberships/new/",
        membership_form(theirs["cohort"], ours["lead"], role="facilitator"),
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=ours["lead"]).exists()
    assert not AuditEntry.objects.exists()


def test_sessions_and_announcements_are_scoped_too(client, programs):
    ours, theirs = programs["ours"], programs["theirs"]
    hidden = SessionFactory(cohort=theirs["cohort"], title="Their private meeting")
    SessionFactory(cohort=ours["cohort"], title="Our meeting")
    client.force_login(ours["lead"])
    listing = client.get("/admin/cohorts/sessions/").content.decode()
    assert "Our meeting" in listing and "Their private meeting" not in listing
    edit = client.get(f"/admin/cohorts/sessions/edit/{hidden.pk}/")
    assert edit.status_code == 404
    response = client.post(
        "/admin/cohorts/announcements/new/",
        {"cohort": theirs["cohort"].pk, "subject": "Hi", "body": "Hello"},
    )
    assert response.status_code == 200 and not theirs["cohort"].announcements.exists()


def test_staff_changes_to_memberships_are_audited(client, programs):
    ours = programs["ours"]
    lead, cohort = ours["lead"], ours["cohort"]
    # Someone from another group of the program (leads pick among their people).
    sibling = CohortPageFactory(parent=cohort.get_parent(), program=ours["program"])
    person = MembershipFactory(cohort=sibling).user
    client.force_login(lead)
    response = client.post(
        "/admin/cohorts/memberships/new/",
        membership_form(cohort, person, role="facilitator"),
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, cohort=cohort)
    created = AuditEntry.objects.get(action="membership.create")
    assert (created.actor, created.subject, created.target_id) == (
        lead,
        person,
        str(membership.pk),
    )
    assert created.after == {
        "cohort": cohort.pk,
        "user": person.pk,
        "role": "facilitator",
        "status": "active",
    }
    client.post(
        f"/admin/cohorts/memberships/edit/{membership.pk}/",
        membership_form(cohort, person, role="participant"),
    )
    changed = AuditEntry.objects.get(action="membership.change")
    assert changed.before["role"] == "facilitator"
    assert changed.after["role"] == "participant"
    client.post(f"/admin/cohorts/memberships/delete/{membership.pk}/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deleted = AuditEntry.objects.get(action="membership.delete")
    assert deleted.before["role"] == "participant" and deleted.actor == lead
    for entry in AuditEntry.objects.all():
        assert person.email not in str(entry.before) + str(entry.after)


def test_leads_cannot_name_a_programs_leads_superusers_can(
    client, admin_client, programs
):
    ours, theirs = programs["ours"], programs["theirs"]
    program = theirs["program"]
    url = f"/admin/snippets/cohorts/program/edit/{program.pk}/"
    data = nested_form_data(
        {
            "name": program.name,
            "slug": program.slug,
            "description": "",
            "reminder_hours": "24, 1",
            "names": inline_formset([]),
            "targets": inline_formset([]),
        }
    )
    data["leads"] = [ours["lead"].pk]
    client.force_login(ours["lead"])
    assert client.get(url).status_code == 404
    client.post(url, data)
    assert list(program.leads.all()) == [theirs["lead"]]
    own = f"/admin/snippets/cohorts/program/edit/{ours['program'].pk}/"
    page = client.get(own)
    assert page.status_code == 200 and 'name="leads"' not in page.content.decode()
    listing = client.get("/admin/snippets/cohorts/program/").content.decode()
    assert "Program ours" in listing and "Program theirs" not in listing
    assert 'name="leads"' in admin_client.get(url).content.decode()
    assert admin_client.post(url, data).status_code == 302
    assert list(program.leads.all()) == [ours["lead"]]
    entry = AuditEntry.objects.get(action="program.change")
    assert entry.before == {"leads": [theirs["lead"].pk]}
    assert entry.after == {"leads": [ours["lead"].pk]}


def test_reports_are_for_the_leads_of_their_program(client, programs):
    ours, theirs = programs["ours"], programs["theirs"]
    client.force_login(theirs["lead"])
    index = client.get("/cohorts/programs/").content.decode()
    assert "/cohorts/programs/theirs/" in index
    assert "/cohorts/programs/ours/" not in index
    assert client.get("/cohorts/programs/ours/reports/").status_code == 404
    assert client.get(f"/cohorts/{ours['cohort'].pk}/reports/").status_code == 403
    overview = reverse("grantwriting:overview", args=[ours["cohort"].pk])
    assert client.get(overview).status_code == 403
    client.force_login(ours["lead"])
    assert client.get("/cohorts/programs/ours/reports/").status_code == 200
    assert client.get(f"/cohorts/{ours['cohort'].pk}/reports/").status_code == 200
    assert client.get(overview).status_code == 200


def test_my_learning_takes_a_lead_to_the_reports_of_their_programs(
    client, admin_client, programs
):
    ours = programs["ours"]
    client.force_login(ours["lead"])
    html = client.get("/dashboard/").content.decode()
    assert "Programs you lead" in html
    assert 'href="/cohorts/programs/ours/reports/"' in html
    assert 'href="/cohorts/programs/"' in html
    assert "/cohorts/programs/theirs/" not in html
    everyone = admin_client.get("/dashboard/").content.decode()
    assert "/cohorts/programs/ours/reports/" in everyone
    assert "/cohorts/programs/theirs/reports/" in everyone
    participant = Membership.objects.get(cohort=ours["cohort"]).user
    client.force_login(participant)
    html = client.get("/dashboard/").content.decode()
    assert "Programs you lead" not in html and "/cohorts/programs/" not in html


def test_a_program_report_links_each_live_group_to_its_reports(client, programs):
    ours = programs["ours"]
    draft = CohortPageFactory(
        parent=ours["cohort"].get_parent(), program=ours["program"]
    )
    draft.unpublish()
    client.force_login(ours["lead"])
    html = client.get("/cohorts/programs/ours/reports/").content.decode()
    group_reports = f'href="/cohorts/{ours["cohort"].pk}/reports/"'
    assert f"{group_reports}>{ours['cohort'].title}</a>" in html
    assert f"/cohorts/{draft.pk}/reports/" not in html  # it would be a 404
    assert draft.title in html
    assert client.get(f"/cohorts/{ours['cohort'].pk}/reports/").status_code == 200


def test_a_lead_outside_a_group_is_shown_no_tabs_its_pages_would_refuse(
    client, programs
):
    """A lead reads a group's reports from outside it: its members' pages
    (members, announcements, course) would answer 403, so no tab leads there."""
    cohort = programs["ours"]["cohort"]
    client.force_login(programs["ours"]["lead"])
    html = client.get(f"/cohorts/{cohort.pk}/reports/").content.decode()
    members = reverse("cohorts:members", args=[cohort.pk])
    assert f'href="{members}"' not in html
    assert f'href="{reverse("cohorts:announcements", args=[cohort.pk])}"' not in html
    assert client.get(members).status_code == 403
    member = MembershipFactory(cohort=cohort).user
    client.force_login(member)
    assert f'href="{members}"' in client.get(cohort.url).content.decode()


def test_coaching_numbers_cover_only_the_leads_programs(client, programs):
    ours, theirs = programs["ours"], programs["theirs"]
    coach = MembershipFactory(cohort=ours["cohort"], role="facilitator").user
    CoachingSession.objects.create(
        cohort=ours["cohort"],
        coach=coach,
        coachee=MembershipFactory(cohort=ours["cohort"]).user,
        held_at=timezone.now(),
        minutes=90,
    )
    client.force_login(theirs["lead"])
    numbers = client.get(reverse("coaching:rollup")).content.decode()
    assert ours["cohort"].title not in numbers
    client.force_login(ours["lead"])
    numbers = client.get(reverse("coaching:rollup")).content.decode()
    assert ours["cohort"].title in numbers


# The audit log screen ----------------------------------------------------------


def test_only_superusers_read_and_export_the_audit_log(client, admin_client, programs):
    ours = programs["ours"]
    person = UserFactory()
    record(
        ours["lead"],
        "membership.change",
        subject=person,
        target=Membership.objects.get(cohort=ours["cohort"]),
        before={"role": "participant"},
        after={"role": "facilitator"},
    )
    url = reverse("audit_log:index")
    client.force_login(ours["lead"])
    assert client.get(url).status_code in (302, 403)
    assert client.get(url + "?export=csv").status_code in (302, 403)
    listing = admin_client.get(url + "?action=membership.change")
    assert (
        listing.status_code == 200 and "membership.change" in listing.content.decode()
    )
    assert (
        "membership.change"
        not in admin_client.get(url + "?action=membership.delete")
        .content.decode()
        .split("<tbody")[-1]
    )
    export = admin_client.get(url + "?export=csv")
    content = b"".join(export.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[1][1] == "membership.change"
    assert str(ours["lead"].pk) in rows[1] and str(person.pk) in rows[1]
    assert admin_client.get("/admin/audit-log/new/").status_code in (302, 403, 404)


def test_the_demo_lead_leads_the_demo_program(demo_site):
    program = Program.objects.get(slug="learning-community-2026")
    assert program.leads.filter(email="lead@example.org").exists()


def test_role_changes_in_the_user_admin_are_audited(admin_client, programs):
    person = UserFactory()
    leads = Group.objects.get(name=PROGRAM_LEADS)
    response = admin_client.post(
        f"/admin/users/edit/{person.pk}/",
        {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "is_active": "on",
            "groups": [leads.pk],
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(person.groups.all()) == [leads]
    entry = AuditEntry.objects.get(action="user.change")
    assert entry.subject == person and entry.before["groups"] == []
    assert entry.after["groups"] == [leads.pk]


def test_a_lead_cannot_take_another_programs_group_through_its_page(client, programs):
    ours, theirs = programs["ours"], programs["theirs"]
    page = theirs["cohort"]
    client.force_login(ours["lead"])
    for url in (
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/{page.pk}/delete/",
        f"/admin/pages/{page.pk}/copy/",
        f"/admin/pages/{page.pk}/move/{ours['cohort'].pk}/confirm/",
        f"/admin/cohorts/new-term/{page.pk}/",
    ):
        for response in (client.get(url), client.post(url, {"title": "Taken"})):
            # Wagtail's refusal: back to the dashboard, "you do not have permission".
            assert (response.status_code, response.get("Location")) == (
                302,
                "/admin/",
            ), (url, response.status_code)
    revision = page.save_revision()
    for url in (
        f"/admin/pages/{page.pk}/unpublish/",
        f"/admin/pages/{page.pk}/lock/",
        f"/admin/pages/{page.pk}/revisions/{revision.pk}/revert/",
        f"/admin/pages/{page.pk}/add_subpage/",
    ):
        response = client.post(url)
        assert (response.status_code, response.get("Location")) == (302, "/admin/"), url
    bulk = "/admin/bulk/wagtailcore/page/unpublish/"
    client.post(f"{bulk}?id={page.pk}&next=/admin/", {"include_descendants": ""})
    page.refresh_from_db()
    assert page.program == theirs["program"] and page.live and not page.locked
    # Among the programs of their own group's form, only the ones they lead.
    form_class = type(page).get_edit_handler().get_form_class()
    own = ours["cohort"]
    form = form_class(instance=own, parent_page=own.get_parent(), for_user=ours["lead"])
    assert list(form.fields["program"].queryset) == [ours["program"]]
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200


def test_a_superuser_files_a_group_under_any_program(admin_user, programs):
    page = programs["theirs"]["cohort"]
    form_class = type(page).get_edit_handler().get_form_class()
    form = form_class(instance=page, parent_page=page.get_parent(), for_user=admin_user)
    assert set(form.fields["program"].queryset) == set(Program.objects.all())


def test_the_person_chooser_lists_only_the_leads_own_people(
    client, admin_client, programs
):
    ours, theirs = programs["ours"], programs["theirs"]
    stranger = UserFactory(email="nobody-in-a-group@example.org")
    mine = Membership.objects.get(cohort=ours["cohort"])
    client.force_login(ours["lead"])
    add = "/admin/cohorts/memberships/new/"
    page = client.get(add).content.decode()
    assert mine.user.email in page
    assert OTHER not in page and stranger.email not in page
    other = Membership.objects.get(cohort=theirs["cohort"]).user
    client.post(add, membership_form(ours["cohort"], other))
    assert not Membership.objects.filter(cohort=ours["cohort"], user=other).exists()
    edit = client.get(f"/admin/cohorts/memberships/edit/{mine.pk}/").content.decode()
    assert mine.user.email in edit and OTHER not in edit
    everyone = admin_client.get(add).content.decode()
    assert OTHER in everyone and stranger.email in everyone


def test_a_lead_who_starts_a_program_leads_it_and_files_groups_under_one(
    client, programs
):
    ours = programs["ours"]
    client.force_login(ours["lead"])
    response = client.post(
        "/admin/snippets/cohorts/program/add/",
        {
            "name": "Budget trainings",
            "slug": "budget-trainings",
            "description": "",
            "reminder_hours": "24",
            "names-TOTAL_FORMS": "0",
            "names-INITIAL_FORMS": "0",
            "names-MIN_NUM_FORMS": "0",
            "names-MAX_NUM_FORMS": "1000",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Program.objects.get(slug="budget-trainings").leads.all()) == [
        ours["lead"]
    ]
    own = ours["cohort"]
    form_class = type(own).get_edit_handler().get_form_class()
    form = form_class(instance=own, parent_page=own.get_parent(), for_user=ours["lead"])
    assert form.fields["program"].required
