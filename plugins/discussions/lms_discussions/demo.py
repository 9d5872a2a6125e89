"""Demo: a lively program space, and talk in the session threads of the
grantwriting circle (English) and the budget training (Spanish)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from lms_discussions import records
from lms_discussions.models import Post, Space, Thread
from sdk import CohortPage, Membership, Program
from sdk.demo import DemoReport, demo_user, member, register

GRACE, LUIS, AMARA, LEAD = (
    "participant@example.org",
    "facilitator@example.org",
    "amara@example.org",
    "lead@example.org",
)

# (title, kind, author, text, [(author, reply, quotes the opening)])
PROGRAM_THREADS = {
    "learning-community-2026": [
        (
            "Welcome: introduce yourself",
            Thread.Kind.CONVERSATION,
            LEAD,
            "Past and present members of every group of the **Learning "
            "Community** meet here. Say who you are, where you work, and one "
            "thing you could help others with.",
            [
                (
                    GRACE,
                    "Grace, Eastside Food Network. Happy to share our "
                    "volunteer rota template.",
                    False,
                ),
                (
                    AMARA,
                    "Amara, Youth Arts Collective. We just won our first "
                    "county grant and can share the budget narrative.",
                    False,
                ),
            ],
        ),
        (
            "Who has budgeted for interpreters in a grant?",
            Thread.Kind.QUESTION,
            GRACE,
            "Our families speak Spanish, Vietnamese and Tagalog. How did you "
            "cost interpretation: per hour, per event, or as a staff line?",
            [
                (
                    LUIS,
                    "Per event works best with the county: list events times "
                    "hours times rate, and add translation of materials as its own "
                    "line.",
                    True,
                ),
                (
                    AMARA,
                    "We did the same, and the funder asked for quotes from "
                    "two agencies. Keep them ready.",
                    False,
                ),
            ],
        ),
        (
            "Resources: logic model examples",
            Thread.Kind.CONVERSATION,
            LUIS,
            "Share a logic model you are proud of (remove anything "
            "confidential). A good one:\n\n- one row per activity\n- outcomes "
            "you can count",
            [],
        ),
    ],
    "fair-budgets-2026": [
        (
            "Bienvenida: preséntense",
            Thread.Kind.CONVERSATION,
            LEAD,
            "Este espacio es de todas las personas que participan o "
            "participaron en la **Campaña por Presupuestos Justos**. "
            "Cuéntennos de dónde son y qué tema del presupuesto les importa.",
            [
                (
                    GRACE,
                    "Soy Grace, de Eastside. Me importa el presupuesto de parques.",
                    False,
                ),
            ],
        ),
        (
            "¿Cómo pedir la palabra en la audiencia del presupuesto?",
            Thread.Kind.QUESTION,
            GRACE,
            "¿Hay que inscribirse antes o se puede llegar el mismo día?",
            [
                (
                    LUIS,
                    "Hay que llenar la tarjeta de comentario público antes "
                    "de que empiece el punto. Lleguen 30 minutos antes.",
                    True,
                ),
            ],
        ),
    ],
}

SESSION_TALK = {
    ("grantwriting-circle", "en"): [
        (
            GRACE,
            "Will we look at budget narratives in this session? I'd like to "
            "bring ours.",
        ),
        (
            LUIS,
            "Yes: bring a printed copy, we'll swap in pairs. {amara}, could "
            "you bring the one from your food bank too?",
        ),
    ],
    ("capacitacion-presupuesto-riverside", "es"): [
        (GRACE, "¿Hay que traer algo para esta sesión?"),
        (
            LUIS,
            "Solo el cuaderno de trabajo y ganas de practicar. {amara}, "
            "¿nos cuenta cómo le fue en la audiencia?",
        ),
    ],
}


def _switch_on(group: CohortPage) -> None:
    if "discussions" not in group.plugins:
        group.plugins = [*group.plugins, "discussions"]
        group.save_revision().publish()


def _talk(thread: Thread, author, text: str, quoted: Post | None = None) -> Post:
    """A post written straight in: the demo tells nobody. `{amara}` in the
    text is a mention of Amara, as a post keeps it (`mentions`)."""
    amara = get_user_model().objects.get(email=AMARA)
    text = text.replace("{amara}", f"@[]({amara.pk})")
    post = Post.objects.create(thread=thread, author=author, body=text, quoted=quoted)
    Thread.objects.filter(pk=thread.pk).update(
        replies=F("replies") + 1, last_activity_at=timezone.now()
    )
    return post


# After the core groups (40), their meetings (42) and grantwriting (61).
@register(order=63)
def load_discussions(report: DemoReport) -> None:
    demo_user(AMARA, "Amara", "Diallo", report)
    people = get_user_model().objects.in_bulk(
        [GRACE, LUIS, AMARA, LEAD], field_name="email"
    )
    for (slug, language), talk in SESSION_TALK.items():
        group = CohortPage.objects.filter(
            slug=slug, locale__language_code=language
        ).first()
        if group is None:
            continue
        _switch_on(group)
        member(group, AMARA, Membership.Role.PARTICIPANT)
        records.open_session_threads(group)
        thread = (
            Thread.objects.filter(space__cohort=group, session__isnull=False)
            .order_by("session__starts_at")
            .exclude(session__starts_at__lt=timezone.now() - timedelta(hours=2))
            .first()
        )
        if thread is not None and not thread.posts.exists():
            for email, text in talk:
                _talk(thread, people[email], text)
            report.made(f"discussion in a session thread of {group.title}")
    for slug, threads in PROGRAM_THREADS.items():
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            continue
        space, created = Space.objects.get_or_create(program=program)
        if not created and space.threads.exists():
            continue
        for number, (title, kind, author, text, replies) in enumerate(threads):
            thread = records.start_thread(space, people[author], kind, title, text)
            if number == 0:  # the welcome stays on top
                Thread.objects.filter(pk=thread.pk).update(pinned=True)
            opening = thread.posts.get()
            for email, reply, quotes in replies:
                post = _talk(thread, people[email], reply, opening if quotes else None)
                if kind == Thread.Kind.QUESTION and email == LUIS:
                    Thread.objects.filter(pk=thread.pk).update(answer=post)
        report.made(f"discussions in the program space of {program.name}")
