"""Demo: a toolkit library with the legal toolkit for community collaboration."""

from django.contrib.auth import get_user_model

from content.demo import (
    child_page,
    demo_document,
    paragraph,
    simple_pdf,
    topic,
    translation_of,
)
from content.models import ResourcePage
from content.site import ensure_home_page
from lms.demo import DemoReport, register
from lms_toolkits.models import ChecklistTick, ToolkitIndexPage, ToolkitPage

PARTNERSHIP_STEPS = [
    (
        "Map who does what",
        "List every partner and what each brings: people, money, a venue, a name "
        "people trust.",
        30,
        "Partner map",
    ),
    (
        "Agree how decisions are made",
        "Consensus, majority or a lead partner? Write down which, and what "
        "happens when you disagree.",
        45,
        "Decision-making worksheet",
    ),
    (
        "Write the memorandum of understanding",
        "Fill in the template together; have each board approve it before "
        "anyone signs.",
        45,
        "MOU template",
    ),
]


def _steps(steps, report: DemoReport) -> list:
    return [
        (
            "step",
            {
                "title": title,
                "body": paragraph(f"<p>{body}</p>")[1],
                "minutes": minutes,
                "worksheet": demo_document(
                    worksheet,
                    worksheet.lower().replace(" ", "-") + ".pdf",
                    simple_pdf(worksheet, [title]),
                    report,
                ),
            },
        )
        for title, body, minutes, worksheet in steps
    ]


# After the site and its topics (20).
@register(order=62)
def load_toolkits(report: DemoReport) -> None:
    home = ensure_home_page()
    library = child_page(
        home,
        ToolkitIndexPage,
        "toolkits",
        report,
        title="Toolkits",
        show_in_menus=True,
        intro="Step-by-step guides with worksheets. Tick off each step as you go.",
    )
    translation_of(
        library,
        "es",
        report,
        title="Guías prácticas",
        intro="Guías paso a paso con hojas de trabajo. Marque cada paso al terminarlo.",
    )
    collaboration = topic("Collaboration", "collaboration", report)
    legal = topic("Legal", "legal", report)
    partnership = (
        ToolkitPage.objects.child_of(library)
        .filter(slug="partnership-agreements")
        .first()
    )
    if partnership is None:
        partnership = child_page(
            library,
            ToolkitPage,
            "partnership-agreements",
            report,
            title="Partnership agreements for coalitions",
            intro="A legal toolkit for community collaboration: put a coalition's "
            "promises in writing before money changes hands.",
            who_for="Coalitions about to apply for a grant together or share staff.",
            minutes=120,
            toolkit_language="en",
            steps=_steps(PARTNERSHIP_STEPS, report),
            checklist=[
                ("item", "Every partner is on the partner map"),
                ("item", "The decision rule is written down"),
                ("item", "Each board has approved the MOU"),
                ("item", "The MOU is signed and shared with every partner"),
            ],
        )
        partnership.topics.set([collaboration, legal])
        partnership.related.set(ResourcePage.objects.filter(topics=collaboration)[:2])
        partnership.save_revision().publish()
    participant = get_user_model().objects.filter(email="participant@example.org")
    for item in list(partnership.checklist)[:2]:
        for person in participant:
            ChecklistTick.objects.get_or_create(
                user=person, toolkit=partnership, item=item.id
            )
