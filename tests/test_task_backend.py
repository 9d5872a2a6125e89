"""The test settings' task backend (lms/task_backends.py): the project's tasks
run at once; Wagtail's search and reference index updates wait, once per
object, until `run_pending()`, which raises what fails."""

from unittest import mock

import pytest
from django.core import mail
from django_tasks import task_backends
from wagtail.models import Page, ReferenceIndex

from lms.task_backends import BOOKKEEPING, IndexesLaterBackend
from newsletter.models import Subscriber
from newsletter.services import subscribe
from tests.factories import DocumentFactory, ResourcePageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend() -> IndexesLaterBackend:
    return task_backends["default"]


def test_a_saved_page_is_indexed_once_when_the_pending_tasks_run(backend, home_page):
    page = StandardPageFactory(parent=home_page, title="Budget hearings")
    page.title = "Budget hearings for everyone"
    page.save_revision().publish()
    assert not Page.objects.search("everyone")  # not yet: as before a worker ran

    waiting = [
        key
        for key in backend.pending
        if key[1:] == ("content", "standardpage", str(page.pk))
    ]
    assert sorted(path for path, *_ in waiting) == sorted(BOOKKEEPING)

    assert backend.run_pending() >= 2
    assert backend.pending == {}
    assert list(Page.objects.search("everyone")) == [page.page_ptr]


def test_the_reference_index_is_written_when_the_pending_tasks_run(backend, home_page):
    document = DocumentFactory()
    page = ResourcePageFactory(parent=home_page, document=document)
    assert not ReferenceIndex.get_references_to(document).exists()
    backend.run_pending()
    assert {
        reference.object_id for reference in ReferenceIndex.get_references_to(document)
    } == {str(page.pk)}


def test_the_project_s_tasks_still_run_at_once(
    backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(email="reader@example.org", name="Reader", language="en")
    assert Subscriber.objects.filter(email="reader@example.org").exists()
    assert len(mail.outbox) == 1
    assert not any(key[0] not in BOOKKEEPING for key in backend.pending)


def test_a_failing_index_update_is_raised_not_swallowed(backend, home_page):
    StandardPageFactory(parent=home_page)
    with (
        mock.patch(
            "modelsearch.index.insert_or_update_object",
            side_effect=RuntimeError("index"),
        ),
        pytest.raises(RuntimeError, match="index"),
    ):
        backend.run_pending()


def test_an_object_deleted_before_its_turn_is_skipped(backend, home_page):
    page = StandardPageFactory(parent=home_page)
    key = ("content", "standardpage", str(page.pk))
    assert any(waiting[1:] == key for waiting in backend.pending)
    page.delete()
    backend.run_pending()  # the task itself would raise DoesNotExist
    assert backend.pending == {}
