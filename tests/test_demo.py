from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends
from lms_partners import reviews
from lms_partners.agreements import PartnershipAgreement
from lms_partners.models import Area, Correction, Partner, Sector, Service
from wagtail.models import Page

from insights.indicators import actuals
from insights.logic_models import LogicModel
from insights.organisations import organisation_participation
from notifications.models import Notification
from organisations.models import Organisation

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"lms", "content", "wagtailcore", "wagtaildocs", "auth", "account"}
    }


def test_load_demo_twice_changes_nothing(demo_site):
    before = row_counts()
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    assert row_counts() == before
    assert "nothing changed" in out.getvalue()
    assert "participant@example.org" in out.getvalue()


@pytest.mark.long_running
def test_the_demo_recreates_an_emptied_site_and_e_mails_nobody(
    db, django_capture_on_commit_callbacks
):
    Page.objects.all().delete()  # the root too, which a migrated database has
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", force=True, stdout=StringIO())
    assert mail.outbox == []
    assert Page.objects.filter(depth=2, locale__language_code="en").exists()
    # What a worker does after the demo loads: index every page, snippet,
    # image and document for search and references, without a failure.
    assert task_backends["default"].run_pending() > 100


def test_demo_tells_the_seed_stories_in_two_languages(demo_site):
    titles = set(Page.objects.values_list("title", flat=True))
    assert {
        "Riverside County Learning Community",
        "Learning circles",
        "Speaker series",
        "Communications coaching cohort",
        "Eastside Organizing School",
        "Fair Budgets Campaign",
        "Campaña por Presupuestos Justos",
    } <= titles


def test_demo_logins_work(client, demo_site):
    from lms.demo import DEMO_PASSWORD

    response = client.post(
        "/accounts/login/",
        {"login": "lead@example.org", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_demo_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing"):
        call_command("load_demo", stdout=StringIO())


def test_the_demo_participant_and_facilitator_have_notifications(client, demo_site):
    participant = get_user_model().objects.get(email="participant@example.org")
    facilitator = get_user_model().objects.get(email="facilitator@example.org")
    mine = Notification.objects.filter(recipient=participant)
    assert mine.filter(read_at=None).count() == 1
    assert mine.exclude(read_at=None).count() == 1
    assert Notification.objects.filter(recipient=facilitator, read_at=None).exists()
    client.force_login(participant)
    html = client.get(reverse("cohorts:inbox")).content.decode()
    assert "posted “Bring your draft need statement” in" in html
    assert "Notifications: 1 unread" in html


def test_the_civic_power_logic_model_measures_the_funders_outcomes(demo_site):
    """The outcomes as the coalition's funder wrote them, some computed from
    what the site records (the partners plugin's count among them), some
    entered; below, within and above their ranges, and one not started."""
    model = LogicModel.objects.get(program__slug="civic-power-2026")
    found = {actual.indicator.name: actual for actual in actuals(model)}
    for name in (
        "Have 8-12 elected officials and their staffers attend our Poverty Hearing",
        "Have at least 10 core partners participate",
        "Sustain relationships with 10-15 current core partners",
        "Invite 5-7 new organizations to become core partners",
        "Collect 2-3 personal testimonies",
        "Host 5-8 budget trainings in various locations across the county",
        "Host 5 community organizing trainings",
    ):
        assert name in found, name
    core_partners = found["Sustain relationships with 10-15 current core partners"]
    assert core_partners.value == Partner.objects.filter(status="core").count() > 0
    assert found["Host 5 community organizing trainings"].value is None  # entered
    invited = found["Invite 5-7 new organizations to become core partners"]
    assert invited.value is not None  # counted by the partners plugin
    assert {actual.standing for actual in found.values()} >= {
        "below",
        "within",
        "above",
        "not_started",
    }


def test_a_partner_co_hosted_one_of_the_demos_trainings(demo_site):
    church = Organisation.objects.get(name="Iglesia Nueva Esperanza")
    assert Partner.objects.filter(organisation=church).exists()
    assert organisation_participation([church.pk])[church.pk].co_hosted == 1


def test_the_demo_s_partnership_agreements_follow_the_toolkit_s_last_step(
    demo_site,
):
    agreements = list(PartnershipAgreement.objects.order_by("pk"))
    today = timezone.localdate()
    assert [each.standing(today) for each in agreements] == [
        "Due for renewal",
        "In force",
        "Not signed yet",
    ]
    memorandum = agreements[0]
    assert memorandum.guide.slug == "partnership-agreements" and memorandum.step == 3
    memorandum.full_clean()  # the toolkit has that step
    assert memorandum.guide_url().endswith("/partnership-agreements/#step-3")


def test_the_partner_directory_s_demo_is_the_one_the_issue_asks_for(demo_site):
    """15 to 20 organisations across at least eight sectors in two counties,
    each with services and places; two whose verification is stale; one
    correction waiting."""
    partners = Partner.objects.all()
    assert 15 <= partners.count() <= 20
    assert Sector.objects.filter(partners__isnull=False).distinct().count() >= 8
    assert Area.objects.filter(partners__isnull=False).distinct().count() == 2
    assert not partners.filter(services=None).exists()
    assert not partners.filter(locations=None).exists()
    overdue = timezone.localdate() - timedelta(
        days=reviews.setting("review_after_days")
    )
    stale = partners.filter(Q(last_verified=None) | Q(last_verified__lte=overdue))
    assert stale.count() == 2
    assert reviews.due().count() == 2  # both have a contact to ask
    assert Correction.objects.filter(state=Correction.State.WAITING).count() == 1
    # A service offered at one of its partner's places, whose hours say when.
    only_there = Service.objects.exclude(where=None).get()
    page = (
        Client()
        .get(f"/partners/{only_there.partner.organisation.slug}/", follow=True)
        .content.decode()
    )
    (place,) = only_there.where.all()
    assert f'Where: <a href="#location-{place.pk}">{place.name}</a>' in page
    assert place.opening_hours in page
