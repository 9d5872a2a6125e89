"""Demo pages that tell the seed programs' stories, in English and Spanish."""

import io
from datetime import date

from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.rich_text import RichText

from content.models import (
    BrandSettings,
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    ModulePage,
    NewsIndexPage,
    NewsPage,
    ProgramSettings,
    ProgramSettingsWording,
    ResourceIndexPage,
    ResourcePage,
    StandardPage,
    Topic,
)
from content.site import ensure_home_page, ensure_locales
from lms.demo import DemoReport, register

DEMO_PRIMARY, DEMO_ACCENT = "#00695c", "#b3261e"


def logo_png() -> bytes:
    """The demo's logo: two overlapping circles, a commons of two, in the
    brand's colours."""
    logo = PillowImage.new("RGBA", (192, 96), (255, 255, 255, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((8, 8, 88, 88), fill=DEMO_PRIMARY)
    draw.ellipse((56, 8, 136, 88), outline=DEMO_ACCENT, width=10)
    draw.rectangle((148, 20, 184, 76), fill=DEMO_ACCENT)
    out = io.BytesIO()
    logo.save(out, format="PNG")
    return out.getvalue()


def demo_logo(title: str, colour: str, report: DemoReport):
    """A small logo for demo data (an organisation's, say): a roundel and a
    bar in `colour`, kept as a Wagtail image of that title (made once)."""
    found = get_image_model().objects.filter(title=title).first()
    if found is not None:
        return found
    picture = PillowImage.new("RGBA", (160, 80), (255, 255, 255, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((4, 4, 76, 76), fill=colour)
    draw.rectangle((88, 24, 156, 56), fill=colour)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    report.made(f"image {title}")
    return get_image_model().objects.create(
        title=title, file=ContentFile(out.getvalue(), name="logo.png")
    )


def load_brand(home: HomePage, report: DemoReport) -> None:
    brand = BrandSettings.for_site(home.get_site())
    if brand.logo_id:
        return
    logo = get_image_model().objects.create(
        title="Learning Commons logo",
        file=ContentFile(logo_png(), name="learning-commons-logo.png"),
    )
    brand.logo = logo
    brand.logo_alt = "Learning Commons logo"
    brand.primary_colour, brand.accent_colour = DEMO_PRIMARY, DEMO_ACCENT
    brand.full_clean()
    brand.save()
    report.made("brand: logo and colours")


def simple_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF, so demo downloads open in any reader."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = ["BT", "/F1 18 Tf", "72 760 Td", f"({escape(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text_ops += ["0 -22 Td", f"({escape(line)}) Tj"]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_document(title: str, filename: str, data: bytes, report: DemoReport):
    """The Wagtail document titled `title`, created from `data` when missing."""
    document = Document.objects.filter(title=title).first()
    if document:
        return document
    document = Document(title=title, collection=Collection.get_first_root_node())
    document.file.save(filename, ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    report.made(f"document {title}")
    return document


def child_page(
    parent: Page, model: type[Page], slug: str, report: DemoReport, **fields
):
    """The page `slug` under `parent`, created (and published) when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    page = model(slug=slug, locale_id=parent.locale_id, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.made(f"page {page.url_path}")
    return page


def translation_of(page: Page, language: str, report: DemoReport, **fields):
    """The page's translation into `language`, created when missing."""
    locale = ensure_locales()[language]
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        if name == "topics":
            translation.topics.set(value)
        else:
            setattr(translation, name, value)
    translation.save_revision().publish()
    report.made(f"page {translation.url_path} ({language})")
    return translation


def topic(name: str, slug: str, report: DemoReport, spanish: str = "") -> Topic:
    """The topic `slug` (with its Spanish translation), created when missing."""
    locales = ensure_locales()
    english, created = Topic.objects.get_or_create(
        slug=slug, locale=locales["en"], defaults={"name": name}
    )
    if created:
        report.made(f"topic {name}")
    if spanish and not english.get_translation_or_none(locales["es"]):
        translation = english.copy_for_translation(locales["es"])
        translation.name = spanish
        translation.save()
    return english


def paragraph(html: str) -> tuple[str, RichText]:
    """A paragraph block of a StreamField body."""
    return ("paragraph", RichText(html))


@register(order=20)
def load_site(report: DemoReport) -> None:
    home = ensure_home_page()
    if not home.intro:
        home.title = "Learning together, organizing together"
        home.intro = (
            "A shared home for the Riverside County Learning Community, the "
            "Eastside Organizing School and the Fair Budgets Campaign: learning "
            "circles, trainings, coaching and toolkits for people who build "
            "stronger communities."
        )
        home.save_revision().publish()
        report.made("home page")
    settings = ProgramSettings.for_site(home.get_site())
    if not settings.organisation_name:
        settings.organisation_name = "Learning Commons"
        settings.contact_name = "Maya Torres, Program Lead"
        settings.contact_email = "programs@learningcommons.example"
        settings.contact_phone = "+1 555 0100"
        settings.contact_address = "Riverside Community Hall\n120 Main Street"
        settings.donate_url = "https://learningcommons.example/support"
        settings.save()
    if not settings.wordings.filter(language="es").exists():
        ProgramSettingsWording.objects.create(
            program_settings=settings,
            language="es",
            contact_name="Maya Torres, responsable de programas",
            contact_address="Salón Comunitario de Riverside\n120 Main Street",
        )
        report.made("program contact in Spanish")
    load_brand(home, report)
    load_programs(home, report)
    library = load_resources(home, report)
    news = load_news(home, report)
    load_courses(home, report)
    load_spanish(home, library, news, report)
    if not home.body:
        home.body = [
            ("heading", {"text": "Find your place to learn", "level": "h2"}),
            paragraph(
                "<p>Join a <b>learning circle</b> with neighbours, come to a "
                "speaker evening, or work through a toolkit with your "
                "organisation at your own pace.</p>"
            ),
            (
                "call_to_action",
                {
                    "title": "Browse the resource library",
                    "text": "Toolkits, templates and guides from our programs.",
                    "button_label": "Open the library",
                    "page": library,
                    "url": "",
                },
            ),
            (
                "quote",
                {
                    "quote": "The circle gave us the words to ask the county "
                    "for what our neighbourhood needed.",
                    "attribution": "Participant, 2021 learning circle",
                },
            ),
            (
                "accordion",
                {
                    "heading": "Questions people ask",
                    "items": [
                        {
                            "title": "What is a learning circle?",
                            "body": RichText(
                                "<p>A small group that meets weekly for six "
                                "to eight weeks to learn a topic together, "
                                "with a facilitator rather than a teacher.</p>"
                            ),
                        },
                        {
                            "title": "Does it cost anything?",
                            "body": RichText(
                                "<p>No. Our programs are free for members "
                                "of partner organisations.</p>"
                            ),
                        },
                    ],
                },
            ),
        ]
        home.save_revision().publish()


def load_programs(home: HomePage, report: DemoReport) -> None:
    county = child_page(
        home,
        StandardPage,
        "county-learning-community",
        report,
        title="Riverside County Learning Community",
        show_in_menus=True,
        intro=(
            "Grantees of the county's community fund learn from each other "
            "through learning circles, a community of practice, a speaker "
            "series and coaching cohorts."
        ),
        body=[
            paragraph(
                "<p>Started in 2021 with twelve grantee organisations, the "
                "learning community now runs four strands each year.</p>"
            )
        ],
    )
    for slug, title, intro in [
        (
            "learning-circles",
            "Learning circles",
            "Peer groups of six to twelve people who meet weekly around a "
            "shared topic, such as grantwriting or storytelling.",
        ),
        (
            "community-of-practice",
            "Community of practice",
            "A monthly open call where staff of grantee organisations trade "
            "what is working and ask for help.",
        ),
        (
            "speaker-series",
            "Speaker series",
            "Evening talks with organisers, funders and researchers; every "
            "talk is recorded for those who cannot attend.",
        ),
        (
            "communications-coaching",
            "Communications coaching cohort",
            "Eight organisations work with a coach for four months on their "
            "story, their website and their press relationships.",
        ),
    ]:
        child_page(county, StandardPage, slug, report, title=title, intro=intro)
    child_page(
        home,
        StandardPage,
        "organizing-school",
        report,
        title="Eastside Organizing School",
        show_in_menus=True,
        intro=(
            "The coalition's school trains youth and adult members to lead "
            "campaigns, with a cross-city learning lab shared with partners "
            "in three cities."
        ),
        body=[
            ("heading", {"text": "Youth and adult tracks", "level": "h2"}),
            paragraph(
                "<p>Youth members (14 to 19) and adult members learn in "
                "separate tracks and come together for the learning lab.</p>"
            ),
        ],
    )
    child_page(
        home,
        StandardPage,
        "fair-budgets",
        report,
        title="Fair Budgets Campaign",
        show_in_menus=True,
        intro=(
            "Budget trainings at county sites, in English and Spanish, so "
            "residents can take part in their county's budget hearings."
        ),
        body=[
            paragraph(
                "<p>This year's goal: <b>600 residents trained</b> at "
                "<b>12 county sites</b>, with 150 giving public comment.</p>"
            )
        ],
    )


RESOURCES = [
    (
        "legal-toolkit-collaboration",
        "Legal toolkit for community collaboration",
        "Memoranda of understanding, fiscal sponsorship and data sharing.",
        ["collaboration", "legal"],
        "en",
    ),
    (
        "need-statement-guide",
        "Grantwriting: writing a need statement",
        "A worksheet and examples from the grantwriting cohort.",
        ["grantwriting"],
        "en",
    ),
    (
        "logic-model-template",
        "Logic model template",
        "Inputs, activities, outputs and outcomes on one page.",
        ["grantwriting", "collaboration"],
        "en",
    ),
    (
        "stakeholder-map",
        "Stakeholder map by sector",
        "Who is at the table and who is missing: a coalition exercise.",
        ["collaboration"],
        "en",
    ),
    (
        "county-budget-basics",
        "How a county budget works",
        "The budget calendar, where money comes from and how to comment.",
        ["budget"],
        "en",
    ),
    (
        "presupuesto-del-condado",
        "Cómo funciona el presupuesto del condado",
        "El calendario del presupuesto y cómo dar un comentario público.",
        ["budget"],
        "es",
    ),
    (
        "storytelling-worksheet",
        "Organisational storytelling worksheet",
        "Find the story only your organisation can tell.",
        ["communications"],
        "en",
    ),
]
TOPICS = {
    "collaboration": ("Collaboration", "Colaboración"),
    "legal": ("Legal", "Legal"),
    "grantwriting": ("Grantwriting", "Redacción de subvenciones"),
    "budget": ("Public budgets", "Presupuestos públicos"),
    "communications": ("Communications", "Comunicación"),
}


def load_resources(home: HomePage, report: DemoReport) -> ResourceIndexPage:
    library = child_page(
        home,
        ResourceIndexPage,
        "resources",
        report,
        title="Resource library",
        show_in_menus=True,
        intro="Toolkits, templates and guides from our programs, free to use.",
    )
    topics = {
        slug: topic(english, slug, report, spanish)
        for slug, (english, spanish) in TOPICS.items()
    }
    for slug, title, intro, topic_slugs, language in RESOURCES:
        if library.get_children().filter(slug=slug).exists():
            continue
        document = demo_document(
            title, f"{slug}.pdf", simple_pdf(title, [intro]), report
        )
        page = child_page(
            library,
            ResourcePage,
            slug,
            report,
            title=title,
            intro=intro,
            document=document,
            resource_language=language,
        )
        page.topics.set([topics[t] for t in topic_slugs])
        page.save_revision().publish()
    return library


def load_news(home: HomePage, report: DemoReport) -> NewsIndexPage:
    news = child_page(
        home,
        NewsIndexPage,
        "news",
        report,
        title="News",
        show_in_menus=True,
        intro="What our programs have been up to.",
    )
    for slug, title, day, intro in [
        (
            "budget-trainings-begin",
            "Budget trainings begin at twelve county sites",
            date(2026, 9, 8),
            "Trainings run in English and Spanish through November.",
        ),
        (
            "learning-lab-chicago",
            "Cross-city learning lab meets in Chicago",
            date(2026, 7, 21),
            "Youth and adult members from three cities compared campaigns.",
        ),
        (
            "speaker-series-recordings",
            "Speaker series recordings now online",
            date(2026, 5, 2),
            "Watch all six talks from the spring series.",
        ),
    ]:
        child_page(news, NewsPage, slug, report, title=title, date=day, intro=intro)
    return news


GRANTWRITING_COURSE = [
    (
        "Why this work matters",
        [
            (
                "Writing a need statement",
                "<p>A need statement shows a funder the problem in your "
                "community, with numbers and with people's own words.</p>",
                {
                    "question": "What belongs in a need statement?",
                    "several_correct": True,
                    "choices": [
                        {"text": "Local data", "correct": True, "feedback": ""},
                        {
                            "text": "A quote from someone affected",
                            "correct": True,
                            "feedback": "Yes: people's words make numbers real.",
                        },
                        {
                            "text": "Your full budget",
                            "correct": False,
                            "feedback": "The budget comes later in the proposal.",
                        },
                    ],
                },
            ),
            (
                "Finding local data",
                "<p>County health rankings, school district reports and your "
                "own surveys are good places to start.</p>",
                None,
            ),
        ],
    ),
    (
        "Planning the work",
        [
            (
                "Logic models in one page",
                "<p>Inputs, activities, outputs and outcomes: a logic model "
                "fits your whole plan on one page.</p>",
                {
                    "question": "Which of these is an outcome?",
                    "several_correct": False,
                    "choices": [
                        {
                            "text": "Twelve workshops held",
                            "correct": False,
                            "feedback": "That is an output: what you did.",
                        },
                        {
                            "text": "Families enrolled in benefits they missed",
                            "correct": True,
                            "feedback": "Yes: a change in people's lives.",
                        },
                    ],
                },
            ),
        ],
    ),
]


# The budget trainings' course: the Spanish-language training works through its
# Spanish version.
HEARINGS_COURSE = [
    (
        "Before the hearing",
        [
            (
                "How the budget calendar works",
                "<p>The county proposes a budget in spring, holds public "
                "hearings in June and votes before July.</p>",
                {
                    "question": "When can residents comment on the budget?",
                    "several_correct": False,
                    "choices": [
                        {
                            "text": "At the public hearings",
                            "correct": True,
                            "feedback": "Yes: every hearing has time for public "
                            "comment.",
                        },
                        {
                            "text": "Only after the vote",
                            "correct": False,
                            "feedback": "After the vote the budget is decided.",
                        },
                    ],
                },
            ),
            (
                "Writing a two-minute comment",
                "<p>Say who you are, what you ask for and why it matters to "
                "your neighbourhood, in two minutes.</p>",
                None,
            ),
        ],
    ),
]


def add_modules(
    course: CoursePage,
    modules: list,
    report: DemoReport,
    minutes: int,
    after_each: list | None = None,
) -> None:
    """A course's modules and lessons from a table of (module title, [(lesson
    title, text, quiz or None)]), with `after_each` closing every lesson."""
    for module_number, (module_title, lessons) in enumerate(modules):
        module = child_page(
            course,
            ModulePage,
            f"module-{module_number + 1}",
            report,
            title=module_title,
        )
        for lesson_number, (title, text, quiz) in enumerate(lessons):
            child_page(
                module,
                LessonPage,
                f"lesson-{lesson_number + 1}",
                report,
                title=title,
                minutes=minutes,
                body=[
                    paragraph(text),
                    *([("quiz", quiz)] if quiz else []),
                    *(after_each or []),
                ],
            )


def load_courses(home: HomePage, report: DemoReport) -> None:
    """A course library: grantwriting basics (used by the grantwriting circle),
    then budget narratives, which builds on it."""
    library = child_page(
        home,
        CourseIndexPage,
        "courses",
        report,
        title="Courses",
        show_in_menus=True,
        intro="Self-paced courses our groups work through together.",
    )
    course = child_page(
        library,
        CoursePage,
        "grantwriting-basics",
        report,
        title="Grantwriting basics",
        intro="From need statement to logic model, in small steps.",
        hours=4,
    )
    add_modules(
        course,
        GRANTWRITING_COURSE,
        report,
        minutes=20,
        after_each=[
            (
                "reflection",
                {"prompt": "How will you use this in your proposal?", "help_text": ""},
            ),
            (
                "checklist",
                {
                    "heading": "Before the next meeting",
                    "items": [
                        "Read the lesson again with a colleague",
                        "Bring one question to the circle",
                    ],
                },
            ),
        ],
    )
    narratives = child_page(
        library,
        CoursePage,
        "budget-narratives",
        report,
        title="Budget narratives",
        intro="Explain every line of your budget in words a reviewer trusts.",
        hours=2,
        prerequisites=[course],
    )
    module = child_page(
        narratives, ModulePage, "module-1", report, title="The story in the numbers"
    )
    child_page(
        module,
        LessonPage,
        "lesson-1",
        report,
        title="One line, one sentence",
        minutes=25,
        body=[
            paragraph(
                "<p>For each budget line, say what it buys and why the work "
                "needs it.</p>"
            )
        ],
    )
    hearings = child_page(
        library,
        CoursePage,
        "budget-hearings",
        report,
        title="Speaking up at budget hearings",
        intro="How the county budget is decided and how to be heard before it is.",
        hours=2,
    )
    add_modules(hearings, HEARINGS_COURSE, report, minutes=15)


# The programs', news items' and resources' words in Spanish.
SPANISH_PAGE_TEXT = {
    "Riverside County Learning Community": (
        "Comunidad de Aprendizaje del Condado de Riverside"
    ),
    "Grantees of the county's community fund learn from each other "
    "through learning circles, a community of practice, a speaker "
    "series and coaching cohorts.": (
        "Las organizaciones financiadas por el fondo comunitario del condado "
        "aprenden unas de otras en círculos de aprendizaje, una comunidad de "
        "práctica, una serie de charlas y cohortes de acompañamiento."
    ),
    "<p>Started in 2021 with twelve grantee organisations, the "
    "learning community now runs four strands each year.</p>": (
        "<p>Comenzó en 2021 con doce organizaciones; hoy la comunidad de "
        "aprendizaje ofrece cuatro líneas cada año.</p>"
    ),
    "Learning circles": "Círculos de aprendizaje",
    "Peer groups of six to twelve people who meet weekly around a "
    "shared topic, such as grantwriting or storytelling.": (
        "Grupos de seis a doce personas que se reúnen cada semana en torno a "
        "un tema, como la redacción de subvenciones o el relato."
    ),
    "Community of practice": "Comunidad de práctica",
    "A monthly open call where staff of grantee organisations trade "
    "what is working and ask for help.": (
        "Una llamada abierta mensual donde el personal de las organizaciones "
        "comparte lo que funciona y pide ayuda."
    ),
    "Speaker series": "Serie de charlas",
    "Evening talks with organisers, funders and researchers; every "
    "talk is recorded for those who cannot attend.": (
        "Charlas por la tarde con organizadores, financiadores e "
        "investigadores; cada charla se graba para quien no pueda asistir."
    ),
    "Communications coaching cohort": "Cohorte de acompañamiento en comunicación",
    "Eight organisations work with a coach for four months on their "
    "story, their website and their press relationships.": (
        "Ocho organizaciones trabajan con una coach durante cuatro meses en su "
        "relato, su sitio web y su relación con la prensa."
    ),
    "Eastside Organizing School": "Escuela de Organización del Este",
    "The coalition's school trains youth and adult members to lead "
    "campaigns, with a cross-city learning lab shared with partners "
    "in three cities.": (
        "La escuela de la coalición forma a jóvenes y adultos para dirigir "
        "campañas, con un laboratorio de aprendizaje compartido con aliados "
        "de tres ciudades."
    ),
    "Youth and adult tracks": "Líneas para jóvenes y adultos",
    "<p>Youth members (14 to 19) and adult members learn in "
    "separate tracks and come together for the learning lab.</p>": (
        "<p>Los jóvenes (de 14 a 19 años) y los adultos aprenden en líneas "
        "separadas y se reúnen en el laboratorio de aprendizaje.</p>"
    ),
    "Budget trainings begin at twelve county sites": (
        "Comienzan las capacitaciones sobre el presupuesto en doce sedes"
    ),
    "Trainings run in English and Spanish through November.": (
        "Las capacitaciones son en inglés y en español hasta noviembre."
    ),
    "Cross-city learning lab meets in Chicago": (
        "El laboratorio de aprendizaje entre ciudades se reúne en Chicago"
    ),
    "Youth and adult members from three cities compared campaigns.": (
        "Jóvenes y adultos de tres ciudades compararon sus campañas."
    ),
    "Speaker series recordings now online": (
        "Las grabaciones de la serie de charlas ya están en línea"
    ),
    "Watch all six talks from the spring series.": (
        "Vea las seis charlas de la serie de primavera."
    ),
    "Legal toolkit for community collaboration": (
        "Guía legal para la colaboración comunitaria (en inglés)"
    ),
    "Memoranda of understanding, fiscal sponsorship and data sharing.": (
        "Memorandos de entendimiento, patrocinio fiscal e intercambio de datos."
    ),
    "Grantwriting: writing a need statement": (
        "Subvenciones: redactar una declaración de necesidad (en inglés)"
    ),
    "A worksheet and examples from the grantwriting cohort.": (
        "Una hoja de trabajo y ejemplos de la cohorte de subvenciones."
    ),
    "Logic model template": "Plantilla de modelo lógico (en inglés)",
    "Inputs, activities, outputs and outcomes on one page.": (
        "Recursos, actividades, productos y resultados en una página."
    ),
    "Stakeholder map by sector": "Mapa de actores por sector (en inglés)",
    "Who is at the table and who is missing: a coalition exercise.": (
        "Quién está en la mesa y quién falta: un ejercicio para coaliciones."
    ),
    "How a county budget works": (
        "Cómo funciona el presupuesto de un condado (en inglés)"
    ),
    "The budget calendar, where money comes from and how to comment.": (
        "El calendario del presupuesto, de dónde viene el dinero y cómo comentar."
    ),
    "Organisational storytelling worksheet": (
        "Hoja de trabajo de relato organizacional (en inglés)"
    ),
    "Find the story only your organisation can tell.": (
        "Encuentre la historia que solo su organización puede contar."
    ),
}

# The demo pages' words in Spanish, English text -> Spanish text.
SPANISH_TEXT = {
    "Speaking up at budget hearings": "Hablar en las audiencias del presupuesto",
    "How the county budget is decided and how to be heard before it is.": (
        "Cómo se decide el presupuesto del condado y cómo hacerse oír antes."
    ),
    "Before the hearing": "Antes de la audiencia",
    "How the budget calendar works": "Cómo funciona el calendario del presupuesto",
    "<p>The county proposes a budget in spring, holds public "
    "hearings in June and votes before July.</p>": (
        "<p>El condado propone un presupuesto en primavera, celebra audiencias "
        "públicas en junio y vota antes de julio.</p>"
    ),
    "When can residents comment on the budget?": (
        "¿Cuándo pueden los residentes comentar el presupuesto?"
    ),
    "At the public hearings": "En las audiencias públicas",
    "Yes: every hearing has time for public comment.": (
        "Sí: cada audiencia tiene tiempo para comentarios del público."
    ),
    "Only after the vote": "Solo después de la votación",
    "After the vote the budget is decided.": (
        "Después de la votación el presupuesto ya está decidido."
    ),
    "Writing a two-minute comment": "Escribir un comentario de dos minutos",
    "<p>Say who you are, what you ask for and why it matters to "
    "your neighbourhood, in two minutes.</p>": (
        "<p>Diga quién es, qué pide y por qué le importa a su barrio, en dos "
        "minutos.</p>"
    ),
    **SPANISH_PAGE_TEXT,
    "Courses": "Cursos",
    "Self-paced courses our groups work through together.": (
        "Cursos a su propio ritmo que nuestros grupos recorren juntos."
    ),
    "Grantwriting basics": "Fundamentos de la redacción de subvenciones",
    "From need statement to logic model, in small steps.": (
        "De la declaración de necesidad al modelo lógico, en pasos pequeños."
    ),
    "Why this work matters": "Por qué importa este trabajo",
    "Writing a need statement": "Redactar una declaración de necesidad",
    "<p>A need statement shows a funder the problem in your "
    "community, with numbers and with people's own words.</p>": (
        "<p>Una declaración de necesidad muestra al financiador el problema de "
        "su comunidad, con cifras y con las palabras de la gente.</p>"
    ),
    "What belongs in a need statement?": ("¿Qué va en una declaración de necesidad?"),
    "Local data": "Datos locales",
    "A quote from someone affected": "Una cita de alguien afectado",
    "Yes: people's words make numbers real.": (
        "Sí: las palabras de la gente hacen reales las cifras."
    ),
    "Your full budget": "Su presupuesto completo",
    "The budget comes later in the proposal.": (
        "El presupuesto viene más adelante en la propuesta."
    ),
    "Finding local data": "Encontrar datos locales",
    "<p>County health rankings, school district reports and your "
    "own surveys are good places to start.</p>": (
        "<p>Las clasificaciones de salud del condado, los informes del distrito "
        "escolar y sus propias encuestas son buenos puntos de partida.</p>"
    ),
    "Planning the work": "Planificar el trabajo",
    "Logic models in one page": "Modelos lógicos en una página",
    "<p>Inputs, activities, outputs and outcomes: a logic model "
    "fits your whole plan on one page.</p>": (
        "<p>Recursos, actividades, productos y resultados: un modelo lógico "
        "cabe todo su plan en una página.</p>"
    ),
    "Which of these is an outcome?": "¿Cuál de estos es un resultado?",
    "Twelve workshops held": "Doce talleres realizados",
    "That is an output: what you did.": "Eso es un producto: lo que hizo.",
    "Families enrolled in benefits they missed": (
        "Familias inscritas en beneficios que no recibían"
    ),
    "Yes: a change in people's lives.": "Sí: un cambio en la vida de la gente.",
    "How will you use this in your proposal?": "¿Cómo usará esto en su propuesta?",
    "Before the next meeting": "Antes de la próxima reunión",
    "Read the lesson again with a colleague": (
        "Vuelva a leer la lección con un colega"
    ),
    "Bring one question to the circle": "Traiga una pregunta al círculo",
    "Budget narratives": "Narrativas del presupuesto",
    "Explain every line of your budget in words a reviewer trusts.": (
        "Explique cada línea de su presupuesto con palabras que convenzan."
    ),
    "The story in the numbers": "La historia en las cifras",
    "One line, one sentence": "Una línea, una frase",
    "<p>For each budget line, say what it buys and why the work needs it.</p>": (
        "<p>Para cada línea del presupuesto, diga qué compra y por qué el "
        "trabajo lo necesita.</p>"
    ),
}


def in_spanish(value, table: dict[str, str] | None = None):
    """The value with every text `table` (by default the demo pages' table)
    knows put in Spanish; block types and ids are never in it, so they stay."""
    table = SPANISH_TEXT if table is None else table
    if isinstance(value, str):
        return table.get(value, value)
    if isinstance(value, list):
        return [in_spanish(item, table) for item in value]
    if isinstance(value, dict):
        return {key: in_spanish(item, table) for key, item in value.items()}
    return value


# Pages the demo has in both languages; groups meet in one language and live in
# that language's tree only.
TRANSLATED_MODELS = (
    StandardPage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
    CourseIndexPage,
    CoursePage,
    ModulePage,
    LessonPage,
)


def translate_tree(page: Page, report: DemoReport) -> None:
    """`page` and every page of the kinds above beneath it in Spanish, parents
    first; lessons keep their block ids so answers match in either language,
    and resources are filed under the Spanish rows of their topics."""
    locale = ensure_locales()["es"]
    for original in (
        page.get_descendants(inclusive=True)
        .type(*TRANSLATED_MODELS)
        .specific()
        .order_by("path")
    ):
        fields = {
            "title": in_spanish(original.title),
            "intro": in_spanish(original.intro),
        }
        if isinstance(original, LessonPage | StandardPage):
            fields["body"] = in_spanish(list(original.body.raw_data))
        if isinstance(original, ResourcePage):
            fields["topics"] = Topic.objects.filter(
                locale=locale,
                translation_key__in=[t.translation_key for t in original.topics.all()],
            )
        translation_of(original, "es", report, **fields)


def load_spanish(
    home: HomePage, library: ResourceIndexPage, news: NewsIndexPage, report: DemoReport
) -> None:
    translation_of(
        home,
        "es",
        report,
        title="Aprender juntos, organizarnos juntos",
        intro=(
            "Un hogar compartido para la Comunidad de Aprendizaje del Condado "
            "de Riverside, la Escuela de Organización del Este y la Campaña "
            "por Presupuestos Justos."
        ),
        body=[
            paragraph(
                "<p>Únase a un <b>círculo de aprendizaje</b>, venga a una "
                "charla o use una guía con su organización.</p>"
            )
        ],
    )
    budgets = home.get_children().get(slug="fair-budgets")
    translation_of(
        budgets,
        "es",
        report,
        title="Campaña por Presupuestos Justos",
        intro=(
            "Capacitaciones sobre el presupuesto en sedes del condado, en "
            "inglés y español."
        ),
        body=[
            paragraph(
                "<p>Meta de este año: <b>600 residentes capacitados</b> en "
                "<b>12 sedes del condado</b>.</p>"
            )
        ],
    )
    translation_of(
        library,
        "es",
        report,
        title="Biblioteca de recursos",
        intro="Guías, plantillas y herramientas de nuestros programas.",
    )
    translation_of(
        news,
        "es",
        report,
        title="Noticias",
        intro="Lo que han hecho nuestros programas.",
    )
    for slug in (
        "county-learning-community",
        "organizing-school",
        "resources",
        "news",
        "courses",
    ):
        translate_tree(home.get_children().get(slug=slug), report)
