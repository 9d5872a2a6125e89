"""Factories for tests: pages are added under a parent the way Wagtail's tree needs."""

from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection, Locale

from cohorts.models import CohortPage
from content.models import (
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
    StandardPage,
    Topic,
)

# One factory for people, shared with plugins' tests.
from sdk.factories import PASSWORD, UserFactory  # noqa: F401 (re-exported)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyAttribute(
        lambda o: ContentFile(b"%PDF-1.4 test", name=f"{o.title.lower()}.pdf")
    )
    collection = factory.LazyFunction(Collection.get_first_root_node)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    locale = factory.LazyFunction(Locale.get_default)


class PageFactory(factory.Factory):
    """Build a page and add it (published) under `parent`."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    intro = "A short introduction."

    @classmethod
    def _create(cls, model_class, *args, parent, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage


class ResourceIndexPageFactory(PageFactory):
    class Meta:
        model = ResourceIndexPage

    title = "Resources"
    slug = "resources"


class ResourcePageFactory(PageFactory):
    class Meta:
        model = ResourcePage

    document = factory.SubFactory(DocumentFactory)
    resource_language = "en"


class NewsIndexPageFactory(PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "News"
    slug = "news"


class NewsPageFactory(PageFactory):
    class Meta:
        model = NewsPage


class CohortPageFactory(PageFactory):
    class Meta:
        model = CohortPage

    title = factory.Sequence(lambda n: f"Learning circle {n}")
    slug = factory.Sequence(lambda n: f"circle-{n}")
    time_zone = "America/Los_Angeles"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cohorts.Membership"

    user = factory.SubFactory(UserFactory)
    role = "participant"
    status = "active"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "scheduling.Session"

    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + timedelta(days=7)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    location_name = "Eastside Library, room 2"
    address = "455 Elm Street, Riverside"


QUIZ = {
    "question": "Which part of a proposal says why the work matters?",
    "several_correct": False,
    "choices": [
        {"text": "The budget", "correct": False, "feedback": "The budget says how."},
        {"text": "The need statement", "correct": True, "feedback": "Yes."},
    ],
}


def course_with_lessons(home_page, modules: int = 2, lessons: int = 2):
    """A published course under a course library, with a quiz, a reflection and
    a checklist in every lesson."""
    from content.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

    library = CourseIndexPage.objects.child_of(home_page).first()
    if library is None:
        library = PageFactory._create(
            CourseIndexPage, parent=home_page, title="Courses", slug="courses"
        )
    course = PageFactory._create(
        CoursePage,
        parent=library,
        title="Grantwriting basics",
        slug=f"grantwriting-{CoursePage.objects.count()}",
    )
    for number in range(modules):
        module = PageFactory._create(
            ModulePage, parent=course, title=f"Module {number + 1}", slug=f"m{number}"
        )
        for lesson in range(lessons):
            PageFactory._create(
                LessonPage,
                parent=module,
                title=f"Lesson {number + 1}.{lesson + 1}",
                slug=f"l{lesson}",
                body=[
                    ("paragraph", "<p>Read this.</p>"),
                    ("quiz", QUIZ),
                    ("reflection", {"prompt": "What is your need?", "help_text": ""}),
                    ("checklist", {"heading": "Before next time", "items": ["A", "B"]}),
                ],
            )
    return course


def indicator_of(program, measure="", target=None, maximum=None, **fields):
    """An indicator of the program's logic model "2026" (made when missing,
    with no dates: it counts all the program's time)."""
    from insights.models import Indicator, LogicModel

    model, _ = LogicModel.objects.get_or_create(program=program, period="2026")
    return Indicator.objects.create(
        logic_model=model, measure=measure, target=target, maximum=maximum, **fields
    )
