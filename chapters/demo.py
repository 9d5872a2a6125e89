"""Two chapters of a statewide network on two host names of this machine,
a network program running a training in each, and a person who takes part
in one chapter and facilitates in the other."""

from urllib.parse import urlsplit

from django.conf import settings

from chapters.models import Chapter
from chapters.setup import ChapterWanted, create_chapter
from cohorts.demo import member, name_program
from cohorts.models import CohortPage, Membership, Program
from content.demo import child_page
from lms.demo import DemoReport, demo_user, register

# Names below localhost reach this machine (browsers and most resolvers), at
# the port the demo is served at (`make run`: 8000).
DEMO_CHAPTERS = [
    ("Los Angeles", "la.localhost", ["en", "es"], ("Dana", "Lee")),
    ("Riverside", "riverside.localhost", ["en", "es"], ("Sam", "Ortiz")),
]


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
