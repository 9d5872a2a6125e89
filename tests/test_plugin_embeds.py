"""Plugin content in lessons (the lms_lesson_embeds / lms_render_embed hooks)."""

import pytest
from lms_example_plugin.models import ReadingNote

from content.blocks import PluginContentBlock
from lms.embeds import embed_choices
from lms.hookspecs import Embed, hookimpl
from tests.factories import CohortPageFactory, MembershipFactory, course_with_lessons

pytestmark = pytest.mark.django_db

PROMPT = "what is one idea from this lesson you want to keep?"


class BrokenEmbed:
    @hookimpl
    def lms_lesson_embeds(self):
        return [Embed("chart", "A chart")]

    @hookimpl
    def lms_render_embed(self, key):
        raise RuntimeError("broken on purpose")


def lesson_showing(home_page, *choices):
    course = course_with_lessons(home_page, modules=1, lessons=1)
    lesson = course.lessons().get().specific
    lesson.body = [("plugin_content", {"content": choice}) for choice in choices]
    lesson.save_revision().publish()
    return course, lesson


def test_leads_choose_from_what_plugins_offer(register_plugin):
    register_plugin(BrokenEmbed(), name="broken")
    choices = dict(embed_choices())
    assert choices["example:note-prompt"] == (
        "Reading notes (example plugin): Invitation to write a reading note"
    )
    assert choices["broken:chart"] == "broken: A chart"
    field = PluginContentBlock().child_blocks["content"].field
    assert "example:note-prompt" in dict(field.choices)


def test_a_lesson_shows_the_plugin_content_for_its_reader(client, home_page):
    course, lesson = lesson_showing(home_page, "example:note-prompt")
    assert PROMPT in client.get(lesson.url).content.decode()  # public, anonymous

    circle = CohortPageFactory(parent=home_page, course=course)
    member = MembershipFactory(cohort=circle).user
    ReadingNote.objects.create(user=member, text="Logic models fit on a page")
    client.force_login(member)
    html = client.get(f"/cohorts/{circle.pk}/course/{lesson.pk}/").content.decode()
    assert PROMPT in html
    assert "You have written 1 note so far." in html


def test_a_failing_or_missing_plugin_leaves_the_rest_of_the_lesson(
    client, home_page, register_plugin, lenient_hooks
):
    register_plugin(BrokenEmbed(), name="broken")
    _, lesson = lesson_showing(
        home_page, "broken:chart", "uninstalled:thing", "example:note-prompt"
    )
    response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not be shown right now" in html
    assert "not available on this site right now" in html
    assert PROMPT in html
