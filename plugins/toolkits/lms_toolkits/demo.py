"""Demo: a toolkit library with the legal toolkit for community collaboration."""

from django.contrib.auth import get_user_model

from lms_toolkits.models import ChecklistTick, ToolkitIndexPage, ToolkitPage
from sdk import ResourcePage, Topic
from sdk.demo import (
    DemoReport,
    child_page,
    demo_document,
    ensure_home_page,
    ensure_locales,
    in_spanish,
    paragraph,
    register,
    simple_pdf,
    topic,
    translation_of,
)

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


SPANISH = {
    "Partnership agreements for coalitions": (
        "Acuerdos de colaboración para coaliciones"
    ),
    "A legal toolkit for community collaboration: put a coalition's "
    "promises in writing before money changes hands.": (
        "Una guía legal para la colaboración comunitaria: ponga por escrito las "
        "promesas de una coalición antes de que circule el dinero."
    ),
    "Coalitions about to apply for a grant together or share staff.": (
        "Coaliciones que van a pedir una subvención juntas o compartir personal."
    ),
    "Map who does what": "Anote quién hace qué",
    "List every partner and what each brings: people, money, a venue, a name "
    "people trust.": (
        "Haga una lista de cada aliado y lo que aporta: personas, dinero, un "
        "local, un nombre de confianza."
    ),
    "Agree how decisions are made": "Acuerden cómo se toman las decisiones",
    "Consensus, majority or a lead partner? Write down which, and what "
    "happens when you disagree.": (
        "¿Consenso, mayoría o un aliado principal? Escriban cuál, y qué pasa "
        "cuando no están de acuerdo."
    ),
    "Write the memorandum of understanding": "Redacten el memorando de entendimiento",
    "Fill in the template together; have each board approve it before anyone signs.": (
        "Completen la plantilla juntos; que cada junta lo apruebe antes de "
        "que nadie firme."
    ),
    "Every partner is on the partner map": "Cada aliado está en el mapa de aliados",
    "The decision rule is written down": "La regla de decisión está por escrito",
    "Each board has approved the MOU": "Cada junta aprobó el memorando",
    "The MOU is signed and shared with every partner": (
        "El memorando está firmado y compartido con cada aliado"
    ),
}


def spanish_table() -> dict[str, str]:
    """The toolkit's texts in Spanish, its steps' paragraphs as stored."""
    paragraphs = {
        f"<p>{english}</p>": f"<p>{spanish}</p>" for english, spanish in SPANISH.items()
    }
    return {**SPANISH, **paragraphs}


def load_spanish_toolkit(toolkit: ToolkitPage, report: DemoReport) -> None:
    """The toolkit in Spanish, with the same checklist item ids, so a tick
    counts in either language."""
    spanish = ensure_locales()["es"]
    table = spanish_table()
    translation_of(
        toolkit,
        "es",
        report,
        title=in_spanish(toolkit.title, table),
        intro=in_spanish(toolkit.intro, table),
        who_for=in_spanish(toolkit.who_for, table),
        steps=in_spanish(list(toolkit.steps.raw_data), table),
        checklist=in_spanish(list(toolkit.checklist.raw_data), table),
        topics=Topic.objects.filter(
            locale=spanish,
            translation_key__in=[t.translation_key for t in toolkit.topics.all()],
        ),
    )


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
    load_spanish_toolkit(partnership, report)
    participant = get_user_model().objects.filter(email="participant@example.org")
    for item in list(partnership.checklist)[:2]:
        for person in participant:
            ChecklistTick.objects.get_or_create(
                user=person, toolkit=partnership, item=item.id
            )
