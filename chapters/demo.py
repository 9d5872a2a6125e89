"""Two chapters of a statewide network on two host names of this machine,
a network program running a training in each, and a person who takes part
in one chapter and facilitates in the other."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Page

from chapters.courses import adopt, network_courses
from chapters.models import AdoptedCourse, Chapter
from chapters.setup import ChapterWanted, create_chapter
from cohorts.demo import member, name_program
from cohorts.models import CohortPage, Membership, Program
from content.demo import child_page, translation_of
from content.models import CoursePage
from content.site import ensure_locales
from lms.demo import DemoReport, demo_user, register

# Names below localhost reach this machine (browsers and most resolvers), at
# the port the demo is served at (`make run`: 8000).
DEMO_CHAPTERS = [
    ("Los Angeles", "la.localhost", ["en", "es"], ("Dana", "Lee")),
    ("Riverside", "riverside.localhost", ["en", "es"], ("Sam", "Ortiz")),
]


# The network's course both chapters' trainings work through: Los Angeles
# uses it as it is, Riverside adopts its own copy and adapts it.
SHARED_COURSE = "budget-hearings"
ADAPTED_BY = "Riverside"


def _shared_course(chapter: Chapter, lead, report: DemoReport) -> CoursePage | None:
    original = network_courses().filter(slug=SHARED_COURSE).first()
    if original is None or chapter.name != ADAPTED_BY:
        return original
    adoption = AdoptedCourse.objects.filter(chapter=chapter, original=original).first()
    if adoption is not None:
        return adoption.course
    copy = adopt(original, chapter, lead).course
    copy.title = "Speaking up at Riverside County budget hearings"
    copy.intro = (
        "How the Board of Supervisors decides Riverside County's budget, "
        "and when residents can speak."
    )
    copy.save_revision(user=lead).publish()
    _in_spanish(copy, original, report)
    # The network revised its course since: Riverside's leads are told.
    original.save_revision().publish()
    report.made(f"course adopted and adapted by {chapter.name}")
    return copy


ADAPTED_IN_SPANISH = {
    "title": "Hablar en las audiencias del presupuesto del Condado de Riverside",
    "intro": "Cómo decide la Junta de Supervisores el presupuesto del Condado de "
    "Riverside, y cuándo pueden hablar los residentes.",
}


def _in_spanish(copy: CoursePage, original: CoursePage, report: DemoReport) -> None:
    """The copy's course library, course, modules and lessons in Spanish: the
    network's Spanish words for what the chapter kept, its own for what it
    changed."""
    spanish = ensure_locales()["es"]
    translation_of(copy.get_parent(), "es", report, title="Cursos")
    for page in Page.objects.descendant_of(copy, inclusive=True).order_by("path"):
        relative = page.url_path.removeprefix(copy.url_path)
        counterpart = Page.objects.filter(url_path=original.url_path + relative).first()
        theirs = counterpart and counterpart.get_translation_or_none(spanish)
        if page.pk == copy.pk:
            words = ADAPTED_IN_SPANISH
        elif theirs is None:
            continue
        else:
            words = {
                field: getattr(theirs.specific, field)
                for field in ("title", "intro", "body")
                if hasattr(theirs.specific, field)
            }
        translation_of(page.specific, "es", report, **words)


# After the groups (40) and their meetings (42).
@register(order=48)
def load_chapters(report: DemoReport) -> None:
    program, created = Program.objects.get_or_create(
        slug="budget-advocacy-2026",
        defaults={
            "name": "Budget Advocacy Trainings 2026",
            "description": "Statewide trainings on reading and changing a "
            "county budget, run by each chapter.",
        },
    )
    if created:
        report.made("network program")
    name_program(program, "es", "Capacitaciones de Abogacía Presupuestaria 2026")
    both = demo_user("rosa@example.org", "Rosa", "Jiménez", report)
    report.logins.append(
        (both.email, "participant in Los Angeles, facilitator in Riverside")
    )
    for name, host, languages, (first, last) in DEMO_CHAPTERS:
        exists = Chapter.objects.filter(name=name).exists()
        chapter, _created = create_chapter(
            ChapterWanted(
                name=name,
                hostname=host,
                languages=languages,
                port=urlsplit(settings.WAGTAILADMIN_BASE_URL).port or 80,
            )
        )
        if not exists:
            report.made(f"chapter {name}")
        lead = demo_user(f"lead-{chapter.slug}@example.org", first, last, report)
        lead.groups.add(chapter.leads)
        report.logins.append((lead.email, f"chapter lead, {name} (its admin only)"))
        training = child_page(
            chapter.site.root_page.specific,
            CohortPage,
            "budget-training",
            report,
            course=_shared_course(chapter, lead, report),
            title=f"Budget training: {name}",
            intro=f"Three evenings on {name}'s county budget: where the money "
            "goes, who decides, and when to speak up.",
            program=program,
            kind=CohortPage.Kind.TRAINING,
            format=CohortPage.Format.IN_PERSON,
            area=name,
            language="en",
            capacity=25,
        )
        member(
            training,
            both.email,
            Membership.Role.PARTICIPANT
            if name == "Los Angeles"
            else Membership.Role.FACILITATOR,
        )
        # The chapter's own program, which its leads lead.
        _own, own_created = Program.objects.get_or_create(
            slug=f"{chapter.slug}-tenants-school",
            defaults={
                "name": f"{name} Tenants' School",
                "description": f"{name}'s own course of evenings for tenant "
                "organisers.",
                "site": chapter.site,
            },
        )
        if own_created:
            report.made(f"program of {name}")
