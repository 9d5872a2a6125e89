"""Reports read from a read replica when one is configured (lms/db_routers.py)."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from cohorts.models import CohortPage, Program
from lms.db_routers import REPLICA, ReportsFromReplica, replica_reads
from lms.settings.base import replica_from_env
from tests.factories import CohortPageFactory, MembershipFactory
from tests.test_outcomes import lead

REPLICA_URL = "postgres://reader@replica.internal:5432/lc"


@pytest.fixture
def replica_configured(monkeypatch):
    """The settings name a replica that cannot be opened, so a read sent
    there fails loudly."""
    unreachable = {**settings.DATABASES["default"], "ENGINE": "tests.no_replica_here"}
    monkeypatch.setitem(settings.DATABASES, REPLICA, unreachable)


@pytest.mark.backend_independent
def test_the_replica_comes_from_its_url(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    assert replica_from_env() == {}
    monkeypatch.setenv("DATABASE_REPLICA_URL", REPLICA_URL)
    (replica,) = replica_from_env().values()
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == (
        "replica.internal",
        "reader",
        "lc",
    )
    assert "lms.db_routers.ReportsFromReplica" in settings.DATABASE_ROUTERS


@pytest.mark.backend_independent
def test_only_reads_inside_replica_reads_go_there(replica_configured, monkeypatch):
    router = ReportsFromReplica()
    assert router.db_for_read(CohortPage) == "default"
    with replica_reads():
        assert router.db_for_read(CohortPage) == REPLICA
        assert router.db_for_write(CohortPage) == "default"
    assert router.db_for_read(CohortPage) == "default"
    assert router.allow_migrate("default", "cohorts")
    assert not router.allow_migrate(REPLICA, "cohorts")
    monkeypatch.delitem(settings.DATABASES, REPLICA)
    with replica_reads():  # none configured: the primary
        assert router.db_for_read(CohortPage) == "default"


@pytest.mark.django_db
def test_reports_are_made_from_the_replica_after_checks_on_the_primary(
    client, home_page, replica_configured
):
    program = Program.objects.create(name="Civic Power", slug="civic-power")
    group = CohortPageFactory(parent=home_page, program=program)
    outsider = MembershipFactory(
        cohort=CohortPageFactory(parent=home_page), role="facilitator"
    ).user
    pages = [
        reverse("cohorts:reports", args=[group.pk]),
        reverse("cohorts:program_reports", args=[program.slug]),
    ]
    client.force_login(outsider)
    for page in pages:  # refused by checks on the primary, the replica untouched
        assert client.get(page).status_code == 403
    client.force_login(lead(program))
    for page in pages:
        with pytest.raises(ImproperlyConfigured, match="no_replica_here"):
            client.get(page)
