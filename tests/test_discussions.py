"""The discussions plugin (plugins/discussions): group and program spaces,
questions and answers, session threads, moderation, and who sees what."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lms_discussions.hooks import lms_erase_user_data, lms_export_user_data
from lms_discussions.models import (
    Attachment,
    Flag,
    ModerationAction,
    Post,
    Space,
    Thread,
)
from PIL import Image as PILImage
from wagtail.models import PageViewRestriction

from notifications.models import Notification
from scheduling.models import RSVP, SessionSeries
from scheduling.sessions import sync_series
from sdk import Membership
from sdk.testing import (
    MembershipFactory,
    SessionFactory,
    UserFactory,
    access_problems,
    check_plugin,
    group_with_people,
)
from tests.factories import CohortPageFactory
from tests.helpers import body_of, panel_of

pytestmark = pytest.mark.django_db

YOUTH_SURNAME = "Quintanilla-Vega"
THREAD_TEXT = "THREAD-TEXT-how-do-we-budget-for-interpreters"


def thread_in(space, author, text=THREAD_TEXT, kind="question", title="Interpreters"):
    thread = Thread.objects.create(
        space=space, author=author, kind=kind, title=title,
        last_activity_at=timezone.now(),
    )  # fmt: skip
    Post.objects.create(thread=thread, author=author, body=text, opening=True)
    return thread


def test_the_plugin_meets_the_plugin_contract():
    assert check_plugin("discussions") == []


def test_who_sees_what_in_a_youth_group_and_its_program():
    """A youth group's space is its members' and staff's; other members see
    a youth member by first name; the program's space is everyone's who is
    or was in its groups, but youth participants only read it."""
    people = group_with_people(plugins=["discussions"], is_youth=True)
    group = people.group
    youth = MembershipFactory(
        cohort=group, user__first_name="Rosa", user__last_name=YOUTH_SURNAME
    ).user
    space = Space.objects.get_or_create(cohort=group)[0]
    thread = thread_in(space, youth)
    post = thread.posts.get()
    program = group.program_id
    inside = dict.fromkeys(
        ["participant", "facilitator", "group_lead", "program_lead", "superuser"], 200
    )
    outside = {"visitor": "login", "*": 404}
    staff = {"facilitator", "group_lead", "program_lead", "superuser"}
    moderators = {"participant": 403, **dict.fromkeys(staff, 200)}
    everyone_in_program = {
        **dict.fromkeys(["other_group", "left", *inside], 200),
        "visitor": "login",
        "*": 404,
    }
    expected = {
        reverse("discussions:group", args=[group.pk]): {**inside, **outside},
        reverse("discussions:thread", args=[thread.pk]): {**inside, **outside},
        reverse("discussions:new_in_group", args=[group.pk]): {**inside, **outside},
        reverse("discussions:history", args=[post.pk]): {**moderators, **outside},
        reverse("discussions:moderation_group", args=[group.pk]): {
            **moderators,
            **outside,
        },
        reverse("discussions:flag", args=[post.pk]): {**inside, **outside},
        reverse("discussions:program", args=[program]): everyone_in_program,
        # The youth participant reads the program's space, posts nowhere there.
        reverse("discussions:new_in_program", args=[program]): {
            **everyone_in_program,
            "participant": 403,
            "left": 403,
        },
        # Whom one may mention: the surname matches only for the staff, who
        # see it; in the program's space, no youth participant at all.
        reverse("discussions:people_group", args=[group.pk]) + "?q=Rosa": {
            **inside,
            **outside,
        },
        reverse("discussions:people_group", args=[group.pk]) + "?q=Quintanilla": {
            **inside,
            **outside,
        },
        reverse("discussions:people_program", args=[program]) + "?q=Rosa": {
            **everyone_in_program,
            "participant": 403,
            "left": 403,
        },
        reverse("discussions:moderation_program", args=[program]): {
            "program_lead": 200,
            "superuser": 200,
            "visitor": "login",
            "participant": 403,
            "facilitator": 403,
            "group_lead": 403,
            "other_group": 403,
            "left": 403,
            "*": 404,
        },
    }
    private = {THREAD_TEXT: set(inside), YOUTH_SURNAME: staff}
    assert access_problems(people, expected, private=private) == []
    # Edits and answers are the author's (or the asker's), pins the staff's.
    client = people.client("participant")
    assert client.get(reverse("discussions:edit", args=[post.pk])).status_code == 403
    pin = reverse("discussions:pin", args=[thread.pk])
    assert client.post(pin, {"on": "1"}).status_code == 403
    assert people.client("facilitator").post(pin, {"on": "1"}).status_code == 302
    assert Thread.objects.get(pk=thread.pk).pinned
    # In an adult group of the same program too, the youth participant still
    # does not post in the program's space (it has no youth rule for names).
    adult_group = CohortPageFactory(
        parent=group.get_parent(), program=group.program, plugins=["discussions"]
    )
    MembershipFactory(cohort=adult_group, user=people.people["participant"])
    new_in_program = reverse("discussions:new_in_program", args=[program])
    assert people.client("participant").get(new_in_program).status_code == 403


def test_a_question_asked_answered_edited_and_deleted():
    people = group_with_people(plugins=["discussions"])
    group, who = people.group, people.people
    asker, facilitator = who["participant"], who["facilitator"]
    client, staff = people.client("participant"), people.client("facilitator")
    new = reverse("discussions:new_in_group", args=[group.pk])
    empty = client.get(reverse("discussions:group", args=[group.pk]))
    assert "No discussions here yet" in body_of(empty)
    # A clear message, and nothing typed is lost.
    refused = client.post(new, {"kind": "question", "title": "", "body": "Kept"})
    assert refused.status_code == 400
    assert "Give your thread a title." in body_of(refused)
    assert "Kept" in body_of(refused)
    client.post(new, {"kind": "question", "title": "Room?", "body": "Where *now*?"})
    thread = Thread.objects.get(title="Room?")
    page = reverse("discussions:thread", args=[thread.pk])
    assert "<em>now</em>" in body_of(client.get(page))
    opening = thread.posts.get()
    reply_url = reverse("discussions:reply", args=[thread.pk])
    bad = staff.post(reply_url, {"body": "", "quote": "²"})
    assert bad.status_code == 400
    assert "Write something first." in body_of(bad)
    staff.post(reply_url, {"body": "Room 2, <script>x</script>", "quote": opening.pk})
    answer = thread.posts.get(opening=False)
    assert answer.quoted == opening
    shown = body_of(client.get(page))
    assert "<script>x" not in shown
    assert "Where now?" in shown  # the quote, as words
    thread.refresh_from_db()
    assert thread.replies == 1
    told = Notification.objects.get(recipient=asker, kind="discussions.reply")
    assert told.actor == facilitator
    # Reactions: one of each kind per person, taken back by a second click.
    react = reverse("discussions:react", args=[answer.pk])
    client.post(react, {"kind": "helpful"})
    people.client("group_lead").post(react, {"kind": "helpful"})
    client.post(react, {"kind": "thanks"})
    client.post(react, {"kind": "thanks"})
    assert client.post(react, {"kind": "hug"}).status_code == 302  # a message
    assert sorted(answer.reactions.values_list("kind", flat=True)) == [
        "helpful",
        "helpful",
    ]
    assert 'aria-pressed="true">Helpful <span class="meta">2<' in body_of(
        client.get(page)
    )
    # Muting stops the asker's notifications; a follower hears every reply.
    follow = reverse("discussions:follow", args=[thread.pk])
    client.post(follow, {"choice": "mute"})
    people.client("group_lead").post(follow, {"choice": "follow"})
    staff.post(reply_url, {"body": "And bring snacks."})
    assert not Notification.objects.filter(
        recipient=asker, kind="discussions.reply"
    ).exclude(pk=told.pk)
    assert Notification.objects.filter(
        recipient=who["group_lead"], kind="discussions.reply"
    ).exists()
    client.post(follow, {"choice": ""})
    Post.objects.filter(thread=thread, opening=False).exclude(pk=answer.pk).delete()
    # Only the asker (or a moderator) marks the answer; the asker is told.
    mark = reverse("discussions:answer", args=[answer.pk])
    assert people.client("group_lead").post(mark).status_code == 302
    thread.refresh_from_db()
    assert thread.answer == answer
    assert Notification.objects.filter(
        recipient=asker, kind="discussions.answered"
    ).exists()
    # Edits keep the earlier text, for moderators' eyes.
    edit = reverse("discussions:edit", args=[answer.pk])
    assert client.get(edit).status_code == 403
    staff.post(edit, {"body": "Room 3"})
    history = reverse("discussions:history", args=[answer.pk])
    assert "Room 2" in body_of(staff.get(history))
    assert client.get(history).status_code == 403
    # The author deletes: the post stays as "deleted" and is no longer the answer.
    staff.post(reverse("discussions:delete", args=[answer.pk]))
    thread.refresh_from_db()
    assert thread.answer is None
    shown = body_of(client.get(page))
    assert "This post was deleted." in shown
    assert "Room 3" not in shown
    # A locked thread takes no more replies nor edits from members.
    staff.post(reverse("discussions:lock", args=[thread.pk]), {"on": "1"})
    assert client.post(reply_url, {"body": "Hello?"}).status_code == 403
    assert ModerationAction.objects.filter(action="lock", moderator=facilitator)
    own_edit = reverse("discussions:edit", args=[opening.pk])
    assert client.post(own_edit, {"body": "Changed after the lock"}).status_code == 403
    assert f'href="{own_edit}"' not in body_of(client.get(page))


def test_each_session_gets_its_thread_with_the_place_for_those_going(
    django_capture_on_commit_callbacks,
):
    people = group_with_people(plugins=["discussions"], time_zone="UTC")
    group, who = people.group, people.people
    series = SessionSeries.objects.create(
        cohort=group,
        title="Kick-off",
        first_start=timezone.now().replace(microsecond=0) + timedelta(days=2),
        duration_minutes=60,
        rrule="FREQ=WEEKLY;COUNT=2",
        address="12 Hidden Lane",
    )
    with django_capture_on_commit_callbacks(execute=True):
        sessions = sync_series(series)
    threads = Thread.objects.filter(session__in=sessions)
    assert threads.count() == 2
    first = threads.get(session=sessions[0])
    page = reverse("discussions:thread", args=[first.pk])
    shown = body_of(people.client("participant").get(page))
    assert "Kick-off" in shown
    assert "12 Hidden Lane" not in shown
    RSVP.objects.create(session=sessions[0], user=who["participant"], status="going")
    assert "12 Hidden Lane" in body_of(people.client("participant").get(page))
    # The files its posts carry are listed with the session, while shown.
    assert "None yet: slides, handouts" in shown
    staff = people.client("facilitator")
    slides = SimpleUploadedFile("slides.pdf", b"%PDF slides", "application/pdf")
    reply = reverse("discussions:reply", args=[first.pk])
    staff.post(reply, {"body": "The slides", "file": slides})
    section = body_of(people.client("participant").get(page)).split("</section>")[0]
    assert "slides.pdf</a>" in section
    post = Post.objects.get(body="The slides")
    staff.post(reverse("discussions:hide", args=[post.pk]), {"on": "1"})
    assert "slides.pdf" not in body_of(people.client("participant").get(page))
    # A session scheduled on its own gets its thread too.
    single = SessionFactory(cohort=group, title="Extra")
    assert Thread.objects.filter(session=single).exists()


def test_flags_hold_a_post_back_until_a_moderator_looks(settings):
    settings.LMS_PLUGINS_CONFIG = {"discussions": {"flags_to_hold": 2}}
    people = group_with_people(plugins=["discussions"])
    group, who = people.group, people.people
    space, _created = Space.objects.get_or_create(cohort=group)
    thread = thread_in(space, who["participant"])
    post = thread.posts.get()
    flag = reverse("discussions:flag", args=[post.pk])
    first = people.client("facilitator")
    refused = first.post(flag, {"reason": ""})
    assert "Tell the moderators why" in body_of(refused)
    first.post(flag, {"reason": "Unkind"})
    first.post(flag, {"reason": "Unkind, again"})  # counts once
    post.refresh_from_db()
    assert (post.flags, post.held_for_review) == (1, False)
    assert Flag.objects.filter(post=post).count() == 1
    assert Notification.objects.filter(
        kind="discussions.flagged", recipient=who["program_lead"]
    ).exists()
    people.client("group_lead").post(flag, {"reason": "Off-topic"})
    post.refresh_from_db()
    assert post.held_for_review
    page = reverse("discussions:thread", args=[thread.pk])
    member = Client()
    member.force_login(MembershipFactory(cohort=group).user)
    assert THREAD_TEXT not in body_of(member.get(page))
    lead = people.client("program_lead")
    assert THREAD_TEXT in body_of(lead.get(page))
    log = reverse("discussions:moderation_group", args=[group.pk])
    assert "Held back by flags" in body_of(lead.get(log))
    lead.post(reverse("discussions:hide", args=[post.pk]), {"on": "0"})
    post.refresh_from_db()
    assert (post.flags, post.held_for_review, post.hidden_at) == (0, False, None)
    assert THREAD_TEXT in body_of(member.get(page))


def test_a_page_of_threads_and_a_page_of_posts_cost_the_same_at_any_size():
    people = group_with_people(plugins=["discussions"])
    group, who = people.group, people.people
    space = Space.objects.get_or_create(cohort=group)[0]
    thread = thread_in(space, who["participant"])
    client = people.client("participant")
    space_page = reverse("discussions:group", args=[group.pk])
    thread_page = reverse("discussions:thread", args=[thread.pk])

    def add(count):
        """`count` posts: half replies in the thread, each quoting, mentioning
        and carrying a file; half opening threads of their own."""
        authors = [MembershipFactory(cohort=group).user for _ in range(3)]
        quoted = Post.objects.filter(thread=thread).first()
        now = timezone.now()
        threads = Thread.objects.bulk_create(
            Thread(space=space, author=authors[n % 3], kind="conversation",
                   title=f"T{n}", last_activity_at=now)
            for n in range(count // 2)
        )  # fmt: skip
        posts = Post.objects.bulk_create(
            [
                *(
                    Post(thread=thread, author=authors[n % 3], quoted=quoted,
                         body=f"**{n}** {mention(authors[(n + 1) % 3])}")
                    for n in range(count - count // 2)
                ),
                *(Post(thread=t, author=t.author, body="Hi", opening=True)
                  for t in threads),
            ]
        )  # fmt: skip
        Attachment.objects.bulk_create(
            Attachment(post=post, file=f"discussions/{post.pk}.txt", name="a.txt")
            for post in posts
            if post.thread_id == thread.pk
        )

    def queries(url):
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    add(10)
    queries(space_page), queries(thread_page)  # the space's first visit opens it
    few = queries(space_page), queries(thread_page)
    add(10_000)
    many = queries(space_page), queries(thread_page)
    assert few == many
    assert many[0] <= 12 and many[1] <= 17, many


def test_a_program_space_and_erasure_keep_others_conversations():
    people = group_with_people(plugins=["discussions"])
    who = people.people
    program = people.group.program_id
    left, other = who["left"], who["other_group"]
    new = reverse("discussions:new_in_program", args=[program])
    client = people.client("left")  # a past member still belongs here
    client.post(new, {"kind": "conversation", "title": "Alumni", "body": "Hi all"})
    client.post(new, {"kind": "conversation", "title": "Alone", "body": "Echo"})
    kept = Thread.objects.get(title="Alumni")
    people.client("other_group").post(
        reverse("discussions:reply", args=[kept.pk]), {"body": "Hello!"}
    )
    # My learning: the space, with what is new to this person.
    dashboard = reverse("dashboard")
    panel = body_of(people.client("other_group").get(dashboard))
    assert reverse("discussions:program", args=[program]) in panel
    assert "2 new threads" in panel  # unread: "Alumni" since their reply, "Alone"
    people.client("other_group").get(reverse("discussions:thread", args=[kept.pk]))
    assert "1 new thread" in body_of(people.client("other_group").get(dashboard))
    question = Thread.objects.create(
        space=kept.space, author=other, kind="question", title="Q",
        last_activity_at=timezone.now(),
    )  # fmt: skip
    question.answer = Post.objects.create(thread=question, author=left, body="A")
    question.save()
    assert "1 of your questions answered" in body_of(
        people.client("other_group").get(dashboard)
    )
    exported = lms_export_user_data(left)
    assert [p["text"] for p in exported["discussion_posts"]] == ["Hi all", "Echo", "A"]
    lms_erase_user_data(left)
    assert not Thread.objects.filter(title="Alone").exists()
    opening = kept.posts.get(opening=True)
    assert (opening.author, opening.body) == (None, "Hi all")
    page = people.client("other_group").get(
        reverse("discussions:thread", args=[kept.pk])
    )
    assert "Former member" in body_of(page)
    assert not Post.objects.filter(author=left).exists()
    assert UserFactory()  # nobody else's data went
    assert other.pk in set(Post.objects.values_list("author", flat=True))


def test_my_learning_counts_each_space_apart():
    """What is new in the group's space and in its program's, each beside its
    own link, and nothing from a group the person is not in."""
    people = group_with_people(plugins=["discussions"])
    group, program = people.group, people.group.program_id
    writer = people.client("facilitator")
    for title in ("One", "Two"):
        writer.post(
            reverse("discussions:new_in_group", args=[group.pk]),
            {"kind": "conversation", "title": title, "body": "In the group"},
        )
    writer.post(
        reverse("discussions:new_in_program", args=[program]),
        {"kind": "conversation", "title": "Three", "body": "In the program"},
    )
    elsewhere = group_with_people(plugins=["discussions"])
    elsewhere.client("facilitator").post(
        reverse("discussions:new_in_group", args=[elsewhere.group.pk]),
        {"kind": "conversation", "title": "Four", "body": "Not theirs"},
    )
    assert Thread.objects.filter(title__in=["One", "Two", "Three", "Four"]).count() == 4
    panel = body_of(people.client("participant").get(reverse("dashboard")))
    items = re.findall(r"<li>(.*?)</li>", panel, re.S)
    in_group = next(
        i for i in items if reverse("discussions:group", args=[group.pk]) in i
    )
    in_program = next(
        i for i in items if reverse("discussions:program", args=[program]) in i
    )
    assert "2 new threads" in in_group and "1 new thread" in in_program
    assert "new thread" not in in_program.replace("1 new thread", "")


def test_my_learning_panel_is_kept_until_something_it_counts_changes(
    django_capture_on_commit_callbacks,
):
    """The panel is kept (no query on the next visit) and read again when a
    thread is started or answered, a reply comes, the person reads, mutes
    or leaves; not when they read nothing new."""
    people = group_with_people(plugins=["discussions"])
    participant = people.people["participant"]
    asker = people.client("participant")
    writer = people.client("facilitator")
    asker.post(
        reverse("discussions:new_in_group", args=[people.group.pk]),
        {"kind": "question", "title": "Where?", "body": "Which room?"},
        follow=True,  # to the thread, read
    )
    question = Thread.objects.get(title="Where?")
    html, queries = panel_of(participant, "discussions")
    assert "new thread" not in html and queries > 0
    assert panel_of(participant, "discussions")[1] == 0

    writer.post(reverse("discussions:reply", args=[question.pk]), {"body": "Room 2"})
    assert "1 new thread" in panel_of(participant, "discussions")[0]
    answer = Post.objects.get(thread=question, opening=False)
    asker.post(reverse("discussions:answer", args=[answer.pk]))
    marked = panel_of(participant, "discussions")[0]
    assert "1 new thread" in marked and "1 of your questions answered" in marked
    asker.get(reverse("discussions:thread", args=[question.pk]))
    assert "new thread" not in panel_of(participant, "discussions")[0]

    writer.post(
        reverse("discussions:new_in_group", args=[people.group.pk]),
        {"kind": "conversation", "title": "Snacks", "body": "Who brings?"},
    )
    assert "1 new thread" in panel_of(participant, "discussions")[0]
    snacks = Thread.objects.get(title="Snacks")
    asker.post(reverse("discussions:follow", args=[snacks.pk]), {"choice": "mute"})
    assert "new thread" not in panel_of(participant, "discussions")[0]

    with django_capture_on_commit_callbacks(execute=True):  # the event
        asker.post(reverse("cohorts:leave", args=[people.group.pk]))
    assert people.group.title not in panel_of(participant, "discussions")[0]


def test_a_thread_read_again_writes_no_read_mark_until_something_new():
    people = group_with_people(plugins=["discussions"])
    writer, reader = people.client("facilitator"), people.client("participant")
    writer.post(
        reverse("discussions:new_in_group", args=[people.group.pk]),
        {"kind": "conversation", "title": "Snacks", "body": "Who brings?"},
    )
    thread = Thread.objects.get(title="Snacks")
    url = reverse("discussions:thread", args=[thread.pk])

    def read_mark_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(url).status_code == 200
        return sum(
            "discussions_reader" in query["sql"]
            and query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
            for query in queries.captured_queries
        )

    assert read_mark_writes() == 1
    assert read_mark_writes() == 0
    writer.post(reverse("discussions:reply", args=[thread.pk]), {"body": "Me"})
    assert read_mark_writes() == 1
    assert read_mark_writes() == 0


def test_search_finds_titles_and_shown_posts_of_this_space_only():
    people = group_with_people(plugins=["discussions"])
    writer = people.client("facilitator")
    space = reverse("discussions:group", args=[people.group.pk])

    def start(title, body, client=writer, group=people.group):
        client.post(
            reverse("discussions:new_in_group", args=[group.pk]),
            {"kind": "conversation", "title": title, "body": body},
        )
        return Thread.objects.get(title=title)

    start("Budget hearing", "Tuesday at the county office")
    rides = start("Rides", "Who drives to the hearing?")
    start("Snacks", "Bring fruit")
    hidden = start("Posters", "Printing at the library")
    elsewhere = group_with_people(plugins=["discussions"])
    start(
        "Hearing elsewhere",
        "Not theirs",
        elsewhere.client("facilitator"),
        elsewhere.group,
    )

    member = people.client("participant")

    def found(words) -> list[str]:
        page = body_of(member.get(space, {"q": words}))
        return [
            t.strip() for t in re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', page)
        ]

    assert sorted(found("hearing")) == ["Budget hearing", "Rides"]  # title, post
    assert found("county office") == ["Budget hearing"]
    assert found("library") == ["Posters"]
    post = Post.objects.get(thread=hidden)
    writer.post(reverse("discussions:hide", args=[post.pk]), {"on": "1"})
    assert found("library") == []  # hidden text is never searched
    assert "No thread matches" in body_of(member.get(space, {"q": "library"}))
    assert found("Fruit") == ["Snacks"]
    assert len(found("   ")) == 4  # nothing asked: every thread
    reply = reverse("discussions:reply", args=[rides.pk])
    member.post(reply, {"body": "I can drive two people"})
    assert found("drive") == ["Rides"]
    for bad in ("\x00", "x" * 201):
        answer = member.get(space, {"q": bad})
        assert answer.status_code == 200 and "errorlist" in answer.content.decode()


def test_following_a_space_tells_of_each_new_thread_while_in_it():
    people = group_with_people(plugins=["discussions"])
    group, program = people.group, people.group.program_id
    follower = people.people["participant"]
    member = people.client("participant")
    follow = reverse("discussions:follow_group", args=[group.pk])
    space = reverse("discussions:group", args=[group.pk])
    assert 'aria-pressed="false"' in body_of(member.get(space))
    assert member.post(follow, {"on": "1"}).status_code == 302
    member.post(follow, {"on": "1"})  # twice: still one
    assert 'aria-pressed="true"' in body_of(member.get(space))
    assert member.post(follow, {"on": "maybe"}).status_code == 302  # refused
    writer = people.client("facilitator")

    def start(title, url=None):
        url = url or reverse("discussions:new_in_group", args=[group.pk])
        writer.post(url, {"kind": "conversation", "title": title, "body": "Hi"})

    start("Field trip")
    told = Notification.objects.filter(kind="discussions.new_thread")
    assert [n.recipient for n in told] == [follower]
    assert "Field trip" in body_of(member.get(reverse("cohorts:inbox")))

    # In the program's space, someone of its other group follows.
    other = people.client("other_group")
    other.post(reverse("discussions:follow_program", args=[program]), {"on": "1"})
    start("Across the program", reverse("discussions:new_in_program", args=[program]))
    assert told.filter(recipient=people.people["other_group"]).count() == 1

    # Who left the group is told no more; who stops following neither.
    membership = Membership.objects.get(cohort=group, user=follower)
    membership.status = Membership.Status.LEFT
    membership.save()
    start("After they left")
    assert told.filter(recipient=follower).count() == 1
    membership.status = Membership.Status.ACTIVE
    membership.save()
    member.post(follow, {"on": "0"})
    start("After they stopped")
    assert told.filter(recipient=follower).count() == 1

    member.post(follow, {"on": "1"})
    # The group's page made private to an auth group the follower is not in:
    # they are told nothing more, and their inbox no longer shows the titles.
    insiders = Group.objects.create(name="Insiders")
    people.people["facilitator"].groups.add(insiders)
    restriction = PageViewRestriction.objects.create(
        page=group, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([insiders])
    start("Behind the wall")
    assert Thread.objects.filter(title="Behind the wall").exists()
    assert told.filter(recipient=follower).count() == 1
    assert "Field trip" not in body_of(member.get(reverse("cohorts:inbox")))
    follower.groups.add(insiders)
    assert "Field trip" in body_of(member.get(reverse("cohorts:inbox")))
    start("Inside the wall")
    assert told.filter(recipient=follower).count() == 2

    assert lms_export_user_data(follower)["discussion_spaces_followed"]
    lms_erase_user_data(follower)
    assert lms_export_user_data(follower)["discussion_spaces_followed"] == []


def test_a_moderator_moves_a_thread_only_where_everyone_in_it_may_read_it():
    people = group_with_people(plugins=["discussions"])
    group, other = people.group, people.other_group
    program = group.program_id
    asker = people.client("participant")
    asker.post(
        reverse("discussions:new_in_group", args=[group.pk]),
        {"kind": "conversation", "title": "Venue ideas", "body": "Where?"},
    )
    thread = Thread.objects.get(title="Venue ideas")
    people.client("facilitator").post(
        reverse("discussions:reply", args=[thread.pk]), {"body": "The library?"}
    )
    move = reverse("discussions:move", args=[thread.pk])
    program_key, other_key = f"program-{program}", f"group-{other.pk}"

    # A group's facilitator moderates no other space of the program.
    page = body_of(people.client("facilitator").get(move))
    assert "no other space of this program that you moderate" in page
    lead = people.client("program_lead")
    page = body_of(lead.get(move))
    assert f'value="{program_key}"' in page and f'value="{other_key}"' in page

    # Its writers are not in the other group: it stays.
    response = lead.post(move, {"to": other_key})
    assert response.status_code == 400
    assert "is not in" in body_of(response)
    assert lead.post(move, {"to": "program-999999"}).status_code == 400
    thread.refresh_from_db()
    assert thread.space.cohort_id == group.pk

    # Everyone of the group is in the program: there it goes, said in both logs.
    assert lead.post(move, {"to": program_key}).status_code == 302
    thread.refresh_from_db()
    assert thread.space.program_id == program
    assert "Venue ideas" in body_of(
        people.client("other_group").get(
            reverse("discussions:thread", args=[thread.pk])
        )
    )
    logs = ModerationAction.objects.filter(thread=thread).order_by("id")
    assert [(log.action, log.space_id) for log in logs] == [
        ("move_away", Space.objects.get(cohort=group).pk),
        ("move_here", thread.space_id),
    ]
    assert "Moved a thread here" in body_of(
        lead.get(reverse("discussions:moderation_program", args=[program]))
    )


def test_a_youth_groups_and_a_sessions_threads_stay_where_they_are():
    people = group_with_people(plugins=["discussions"], is_youth=True)
    asker = people.client("participant")
    asker.post(
        reverse("discussions:new_in_group", args=[people.group.pk]),
        {"kind": "conversation", "title": "Our mural", "body": "Colours?"},
    )
    thread = Thread.objects.get(title="Our mural")
    move = reverse("discussions:move", args=[thread.pk])
    lead = people.client("program_lead")
    assert "stay in the group" in body_of(lead.get(move))
    program_key = f"program-{people.group.program_id}"
    assert lead.post(move, {"to": program_key}).status_code == 400
    thread.refresh_from_db()
    assert thread.space.cohort_id == people.group.pk

    session_thread = Thread.objects.get(session=SessionFactory(cohort=people.group))
    move = reverse("discussions:move", args=[session_thread.pk])
    assert lead.get(move).status_code == 403


def mention(person, name="") -> str:
    return f"@[{name}]({person.pk})"


def test_a_mention_is_named_as_each_reader_may_see_it_and_tells_the_person():
    """A youth member mentioned by the facilitator: the post keeps no name;
    members read a first name, staff the full one; the person is told once
    (a mention, not also a reply), and an edit tells only those it adds."""
    people = group_with_people(plugins=["discussions"], is_youth=True)
    group, who = people.group, people.people
    rosa = MembershipFactory(
        cohort=group, user__first_name="Rosa", user__last_name=YOUTH_SURNAME
    ).user
    ana = MembershipFactory(cohort=group, user__first_name="Ana").user
    staff = people.client("facilitator")
    new = reverse("discussions:new_in_group", args=[group.pk])
    written = f"Welcome {mention(rosa, 'Rosa ' + YOUTH_SURNAME)}, see *notes*."
    staff.post(new, {"kind": "conversation", "title": "Hello", "body": written})
    thread = Thread.objects.get(title="Hello")
    opening = thread.posts.get()
    assert opening.body == f"Welcome @[]({rosa.pk}), see *notes*."
    page = reverse("discussions:thread", args=[thread.pk])
    as_member = body_of(people.client("participant").get(page))
    assert "<strong class=mention>@Rosa</strong>" in as_member
    assert YOUTH_SURNAME not in as_member
    assert f"@Rosa {YOUTH_SURNAME}</strong>" in body_of(staff.get(page))
    told = Notification.objects.filter(recipient=rosa, kind__startswith="discussions")
    assert list(told.values_list("kind", flat=True)) == ["discussions.mention"]
    assert told.get().target == opening  # what a reply by e-mail would answer
    # The stored text holds no name: searching for it finds nothing.
    space = reverse("discussions:group", args=[group.pk])
    found = body_of(people.client("participant").get(space, {"q": YOUTH_SURNAME}))
    assert "Hello" not in found
    # A reply by Rosa, quoting the mention, mentioning the facilitator.
    rosa_client = Client()
    rosa_client.force_login(rosa)
    facilitator = who["facilitator"]
    reply = reverse("discussions:reply", args=[thread.pk])
    rosa_client.post(
        reply, {"body": f"Thanks {mention(facilitator, 'X')}!", "quote": opening.pk}
    )
    assert (
        Notification.objects.filter(
            recipient=facilitator, kind="discussions.mention"
        ).count()
        == 1
    )
    assert not Notification.objects.filter(
        recipient=facilitator, kind="discussions.reply"
    ).exists()  # told once, of the mention
    quoted = body_of(people.client("participant").get(page))
    assert "Welcome @Rosa, see notes." in quoted  # the quote's preview
    # The author edits: the box shows the names as they see them; the same
    # mentions tell nobody again, an added one tells only that person.
    edit = reverse("discussions:edit", args=[opening.pk])
    assert f"@[Rosa {YOUTH_SURNAME}]({rosa.pk})" in body_of(staff.get(edit))
    again = f"{written} And {mention(ana, 'Ana')}."
    assert staff.post(edit, {"body": again}).status_code == 302
    assert told.count() == 1
    assert Notification.objects.filter(recipient=ana).count() == 1
    staff.post(edit, {"body": written})  # Ana taken out
    staff.post(edit, {"body": again})  # and back: told once is enough
    assert Notification.objects.filter(recipient=ana).count() == 1
    history = reverse("discussions:history", args=[opening.pk])
    assert f"@Rosa {YOUTH_SURNAME}</strong>" in body_of(staff.get(history))


def test_only_people_in_the_space_are_mentioned_and_new_members_mention_few(
    settings,
):
    settings.LMS_PLUGINS_CONFIG = {"discussions": {"new_member_mentions": 1}}
    people = group_with_people(plugins=["discussions"])
    group, who = people.group, people.people
    outsider = who["other_group"]
    newcomer = MembershipFactory(cohort=group, user__first_name="Nuevo").user
    client = Client()
    client.force_login(newcomer)
    new = reverse("discussions:new_in_group", args=[group.pk])
    text = f"Hi {mention(outsider, 'Someone')}"
    refused = client.post(new, {"kind": "question", "title": "Q", "body": text})
    assert refused.status_code == 400
    assert "You can mention only people in this space" in body_of(refused)
    assert f"@[Someone]({outsider.pk})" in body_of(refused)  # nothing typed lost
    two = f"{mention(who['participant'], 'P')} {mention(who['facilitator'], 'F')}"
    refused = client.post(new, {"kind": "question", "title": "Q", "body": two})
    assert "In your first days here, a post can mention 1 person." in body_of(refused)
    assert not Thread.objects.filter(title="Q").exists()
    # Past their first days and first posts, they mention whom they like.
    Membership.objects.filter(user=newcomer).update(
        joined_at=timezone.now() - timedelta(days=4)
    )
    space = Space.objects.get_or_create(cohort=group)[0]
    for n in range(3):
        thread_in(space, newcomer, title=f"T{n}")
    assert (
        client.post(new, {"kind": "question", "title": "Q", "body": two}).status_code
        == 302
    )
    kinds = Notification.objects.filter(kind="discussions.mention")
    assert set(kinds.values_list("recipient", flat=True)) == {
        who["participant"].pk,
        who["facilitator"].pk,
    }
    # The list of people to mention: in the space, not the author, by name.
    people_url = reverse("discussions:people_group", args=[group.pk])
    listed = client.get(people_url, {"q": "nue"}).json()["people"]
    assert listed == []  # not themself
    participant = who["participant"]
    get_user_model().objects.filter(pk=participant.pk).update(
        first_name="Zelda", last_name="Ortiz"
    )
    get_user_model().objects.filter(pk=outsider.pk).update(first_name="Octavio")
    listed = client.get(people_url, {"q": "zel ort"}).json()["people"]
    assert listed == [{"id": participant.pk, "name": "Zelda Ortiz"}]
    assert client.get(people_url, {"q": "octavio"}).json()["people"] == []
    assert client.get(people_url, {"q": "x" * 51}).status_code == 400


def test_a_mention_in_code_or_an_image_description_stays_inside_it():
    """The names go in after the sanitiser: even where the Markdown put the
    mention in an attribute, the markup around the name adds no quote."""
    people = group_with_people(plugins=["discussions"])
    group, who = people.group, people.people
    space = Space.objects.get_or_create(cohort=group)[0]
    named = who["facilitator"]
    named.first_name, named.last_name = '"><script>x</script>', "Q"
    named.save()
    text = f"![{mention(named)}](/media/a.png) `{mention(named)}` \ue0000\ue001"
    thread = thread_in(space, who["participant"], text=text)
    page = body_of(
        people.client("participant").get(
            reverse("discussions:thread", args=[thread.pk])
        )
    )
    assert "<script>x" not in page
    assert 'alt="<strong class=mention>@&quot;&gt;&lt;script&gt;' in page
    # Stand-ins an author writes as entities, or other scripts' digits, name
    # nobody and break nothing.
    odd = "&#xE000;7&#xE001; &#xE000;9999999&#xE001; @[](١٢) &#xe000;0&#xe001;"
    thread = thread_in(space, who["participant"], text=odd, title="Odd")
    Post.objects.create(
        thread=thread, author=named, body="x", quoted=thread.posts.get()
    )
    url = reverse("discussions:thread", args=[thread.pk])
    for reader in ("participant", "facilitator"):
        assert people.client(reader).get(url).status_code == 200
    quoting = people.client("participant").get(url, {"quote": thread.posts.first().pk})
    assert quoting.status_code == 200


def picture(name="chart.png") -> SimpleUploadedFile:
    data = BytesIO()
    PILImage.new("RGB", (4, 4), "teal").save(data, "PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


def test_a_post_carries_a_file_that_only_its_readers_open(settings):
    settings.LMS_PLUGINS_CONFIG = {
        "discussions": {"new_member_days": 0, "new_member_posts": 0}
    }
    people = group_with_people(plugins=["discussions"])
    group = people.group
    client = people.client("participant")
    new = reverse("discussions:new_in_group", args=[group.pk])
    plan = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", "application/pdf")
    fields = {"kind": "conversation", "title": "Our plan", "body": "Attached."}
    assert client.post(new, {**fields, "file": plan}).status_code == 302
    thread = Thread.objects.get(title="Our plan")
    (pdf,) = Attachment.objects.filter(post__thread=thread)
    page = reverse("discussions:thread", args=[thread.pk])
    url = reverse("discussions:attachment", args=[pdf.pk])
    shown = body_of(client.get(page))
    assert f'href="{url}" download>plan.pdf</a>' in shown
    download = client.get(url)
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    expected = {
        url: {
            **dict.fromkeys(
                ["participant", "facilitator", "group_lead", "program_lead"], 200
            ),
            "superuser": 200,
            "visitor": "login",
            "*": 404,
        }
    }
    assert access_problems(people, expected) == []

    # A picture says what it shows; one that is no picture is refused.
    reply = reverse("discussions:reply", args=[thread.pk])
    refused = client.post(reply, {"body": "Kept words", "file": picture()})
    assert refused.status_code == 400
    assert "Say in a few words what the picture shows." in body_of(refused)
    assert "Choose the file again before you post." in body_of(refused)
    assert "Kept words" in body_of(refused)
    assert "Type @ and a name to mention someone." in body_of(refused)
    fake = SimpleUploadedFile("fake.png", b"not a picture", "image/png")
    refused = client.post(reply, {"body": "x", "file": fake, "description": "A"})
    assert "This picture cannot be opened" in body_of(refused)
    too_odd = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")
    refused = client.post(reply, {"body": "x", "file": too_odd})
    assert refused.status_code == 400
    client.post(reply, {"body": "See", "file": picture(), "description": "A chart"})
    chart = Attachment.objects.get(description="A chart")
    chart_url = reverse("discussions:attachment", args=[chart.pk])
    assert f'<img src="{chart_url}" alt="A chart"' in body_of(client.get(page))
    shown_inline = client.get(chart_url)
    assert shown_inline["Content-Disposition"].startswith("inline;")
    assert shown_inline["X-Content-Type-Options"] == "nosniff"

    # Hidden, the post's file is the moderators'; deleted, nobody's.
    staff = people.client("facilitator")
    staff.post(reverse("discussions:hide", args=[chart.post.pk]), {"on": "1"})
    assert client.get(chart_url).status_code == 404
    assert staff.get(chart_url).status_code == 200
    client.post(reverse("discussions:delete", args=[pdf.post.pk]))
    assert staff.get(url).status_code == 404
    assert not Attachment.objects.filter(pk=pdf.pk).exists()


def test_someone_new_to_a_space_posts_no_file_and_erasure_takes_files():
    people = group_with_people(plugins=["discussions"])
    group, who = people.group, people.people
    newcomer = MembershipFactory(cohort=group).user
    client = Client()
    client.force_login(newcomer)
    new = reverse("discussions:new_in_group", args=[group.pk])
    fields = {"kind": "conversation", "title": "Hi", "body": "Me"}
    plan = SimpleUploadedFile("plan.txt", b"plan", "text/plain")
    refused = client.post(new, {**fields, "file": plan})
    assert refused.status_code == 400
    assert "In your first days here, a post cannot carry a file" in body_of(refused)
    # Staff are never new; an erased author's files go with their data.
    staff = people.client("facilitator")
    plan = SimpleUploadedFile("plan.txt", b"plan", "text/plain")
    assert staff.post(new, {**fields, "file": plan}).status_code == 302
    thread = Thread.objects.get(title="Hi")
    Post.objects.create(thread=thread, author=who["participant"], body="Thanks")
    assert "plan.txt" in str(lms_export_user_data(who["facilitator"]))
    lms_erase_user_data(who["facilitator"])
    assert not Attachment.objects.exists()
    assert thread.posts.count() == 2  # kept for the reply, without its file


def test_mentions_offer_only_people_the_author_knows_of_and_name_only_those():
    """In a program's space: those who wrote there, the leads and the
    author's own groups, not every group's members; nowhere a superuser who
    is in a space only by being one. A thread moved into the program's
    space names nobody the program's space may not name."""
    people = group_with_people(plugins=["discussions"])
    group, who = people.group, people.people
    program = group.program_id
    names = {"Zoe": who["participant"], "Quinn": who["other_group"]}
    for first, person in names.items():
        get_user_model().objects.filter(pk=person.pk).update(first_name=first)
    get_user_model().objects.filter(pk=who["superuser"].pk).update(first_name="Sam")
    asker = people.client("facilitator")
    in_program = reverse("discussions:people_program", args=[program])
    in_group = reverse("discussions:people_group", args=[group.pk])

    def offered(url, q):
        return [person["id"] for person in asker.get(url, {"q": q}).json()["people"]]

    assert offered(in_program, "zoe") == [who["participant"].pk]  # own group
    assert offered(in_program, "quinn") == []  # another group, never wrote
    assert offered(in_group, "sam") == []
    space = Space.objects.get_or_create(program_id=program)[0]
    thread_in(space, who["other_group"], title="Hello from the other group")
    assert offered(in_program, "quinn") == [who["other_group"].pk]

    # A youth member mentioned in a youth group... moved to the program's
    # space would be named to everyone there: the mention goes unnamed.
    youth_group = CohortPageFactory(
        parent=group.get_parent(),
        program=group.program,
        plugins=["discussions"],
        is_youth=True,
    )
    youth = MembershipFactory(
        cohort=youth_group, user__first_name="Rosa", user__last_name=YOUTH_SURNAME
    ).user
    thread = thread_in(space, who["program_lead"], text=f"Hi {mention(youth)}")
    shown = body_of(
        people.client("participant").get(
            reverse("discussions:thread", args=[thread.pk])
        )
    )
    assert "Rosa" not in shown and "@Former member" in shown


def test_a_picture_is_drawn_again_without_what_the_camera_wrote():
    """Where and when a photo was taken never reaches the space; a picture
    too large to show is refused before its pixels are read."""
    people = group_with_people(plugins=["discussions"])
    thread = thread_in(
        Space.objects.get_or_create(cohort=people.group)[0],
        people.people["facilitator"],
    )
    exif = PILImage.Exif()
    exif[0x8825] = {2: (45.0, 30.0, 0.0)}  # GPS latitude
    exif[0x0132] = "2026:12:01 18:30:00"  # when it was taken
    photo = BytesIO()
    PILImage.new("RGB", (3000, 1000), "teal").save(photo, "JPEG", exif=exif)
    staff = people.client("facilitator")
    reply = reverse("discussions:reply", args=[thread.pk])
    sent = SimpleUploadedFile("meeting.jpg", photo.getvalue(), "image/jpeg")
    staff.post(reply, {"body": "Us", "file": sent, "description": "The group"})
    stored = Attachment.objects.get(name="meeting.jpg")
    with stored.file.open("rb") as kept, PILImage.open(kept) as picture:
        assert not picture.getexif()
        assert picture.size == (2048, 683)
    huge = BytesIO()
    PILImage.new("1", (8000, 8000)).save(huge, "PNG")
    sent = SimpleUploadedFile("plan.png", huge.getvalue(), "image/png")
    refused = staff.post(reply, {"body": "x", "file": sent, "description": "A"})
    assert "This picture is too large" in body_of(refused)
