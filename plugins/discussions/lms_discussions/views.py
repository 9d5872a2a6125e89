"""Discussion pages. Each asks `access` for the person's seat in the space;
strangers get 404, members asking for a moderator's page 403."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms_discussions import access, mentions, records, search
from lms_discussions.access import Seat
from lms_discussions.forms import (
    MARKDOWN_HELP,
    EditForm,
    FlagForm,
    FollowForm,
    MoveForm,
    PeopleSearchForm,
    ReactionForm,
    ReplyForm,
    SearchForm,
    ThreadForm,
    ToggleForm,
)
from lms_discussions.models import (
    Attachment,
    ModerationAction,
    Post,
    Reaction,
    Reader,
    SpaceFollower,
    Thread,
)
from sdk import first_error, nav_context, sees_session_place, serve_private

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 30
# People the list under a text box offers for a mention.
PEOPLE_OFFERED = 8


def _space_context(request: HttpRequest, seat: Seat) -> dict:
    context = {"seat": seat, "space_title": seat.title()}
    if seat.cohort is not None:
        context.update(nav_context(seat.cohort, request.user, seat.runs_group))
        context["tab_page"] = True
    return context


def _posted(request: HttpRequest):
    """The form's data on POST (an empty POST too: its errors are shown)."""
    return request.POST if request.method == "POST" else None


def space_url(seat: Seat, page: str = "") -> str:
    """The space's list of threads, or another of its pages (`page`: the
    start of its name, as in "follow_")."""
    if seat.cohort is not None:
        return reverse(f"discussions:{page}group", args=[seat.cohort.pk])
    return reverse(f"discussions:{page}program", args=[seat.program.pk])


def _render(request, template, context, status=200) -> HttpResponse:
    zone = context["seat"].cohort.time_zone if context["seat"].cohort else None
    if zone:
        with timezone.override(ZoneInfo(zone)):
            return render(request, template, context, status=status)
    return render(request, template, context, status=status)


def _seen(user):
    """The reader's row of a thread (OuterRef) once read since its last post."""
    return Reader.objects.filter(
        thread=OuterRef("pk"),
        user=user,
        read_at__gte=OuterRef("last_activity_at"),
    )


def _thread_list(request: HttpRequest, seat: Seat) -> HttpResponse:
    threads = (
        Thread.objects.filter(space_id=seat.space.pk)
        .select_related("author", "session")
        .annotate(seen=Exists(_seen(request.user)))
        .order_by("-pinned", "-last_activity_at", "-pk")
    )
    form = SearchForm(request.GET)
    searched = form.cleaned_data["q"] if form.is_valid() else ""
    if searched:
        language = seat.cohort.language if seat.cohort else get_language()
        threads = search.matching(threads, searched, language)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    for thread in page:
        thread.shown_author = seat.name(thread.author) if thread.author_id else ""
    context = {
        **_space_context(request, seat),
        "items": page,
        "search_form": form,
        "searched": searched,
        "follows_space": seat.space.pk is not None
        and SpaceFollower.objects.filter(space=seat.space, user=request.user).exists(),
        "follow_url": space_url(seat, "follow_"),
    }
    if seat.cohort is not None and seat.cohort.program_id:
        context["program_space"] = seat.cohort.program_id
    return _render(request, "lms_discussions/space.html", context)


@login_required
def group(request: HttpRequest, cohort_id: int) -> HttpResponse:
    return _thread_list(request, access.group_seat(request, cohort_id))


@login_required
def program(request: HttpRequest, program_id: int) -> HttpResponse:
    return _thread_list(request, access.program_seat(request, program_id))


def _offering_mentions(form, seat: Seat):
    """The form's text box, with the list of people to mention that the
    script (mentions.js) opens under it as the author types @ and a name."""
    field = form.fields["body"]
    mentions_help = _("Type @ and a name to mention someone.")
    field.help_text = f"{MARKDOWN_HELP} {mentions_help}"
    field.widget.attrs.update(
        {
            "data-mentions": space_url(seat, "people_"),
            "data-mentions-label": _("People to mention"),
            "data-mentions-found": _(
                "Suggestions: %(count)s. Arrow keys to move, Enter to choose."
            ),
            "data-mentions-none": _("Nobody here by that name."),
        }
    )
    return form


def _may_post(form, seat: Seat, user, before: str = "") -> bool:
    """The form is valid and may be posted as it is: else the field at fault
    says why (its mentions, see `mentions.refused`; a file from someone new
    to the space)."""
    if form.is_valid():
        problem = mentions.refused(seat, user, form.cleaned_data["body"], before)
        if problem:
            form.add_error("body", problem)
        if form.cleaned_data.get("file") and access.is_new_here(seat, user):
            form.add_error(
                "file",
                _("In your first days here, a post cannot carry a file: link to it."),
            )
    if form.is_valid():
        return True
    _file_chosen_again(form)
    return False


def _file_chosen_again(form) -> None:
    """A page sent back with errors cannot hold the file chosen (browsers
    do not fill a file field): say so where it was."""
    chosen = "file" in form.fields and form.files.get("file")
    if chosen and "file" not in form.errors:
        form.add_error("file", _("Choose the file again before you post."))


def _people(request: HttpRequest, seat: Seat) -> JsonResponse:
    """The people the author may mention whose name, as the author sees it,
    holds each word typed after `@`: at most a few, for the list under the
    text box (mentions.js)."""
    if not seat.may_post:
        raise PermissionDenied(_("Members of youth groups read this space only."))
    form = PeopleSearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": first_error(form)}, status=400)
    words = form.cleaned_data["q"].casefold().split()
    if not words:
        return JsonResponse({"people": []})
    candidates = get_user_model().objects.filter(
        access.mentionable(seat.space, request.user)
    )
    for word in words:
        candidates = candidates.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    people = []
    # The names the database matched may hold the word where the author
    # does not see it (a youth member's surname): the shown name decides.
    for person in candidates.exclude(pk=request.user.pk).order_by(
        "first_name", "last_name", "pk"
    )[:100]:
        name = seat.name(person)
        if all(word in name.casefold() for word in words):
            people.append({"id": person.pk, "name": name})
        if len(people) == PEOPLE_OFFERED:
            break
    return JsonResponse({"people": people})


@login_required
def people_in_group(request: HttpRequest, cohort_id: int) -> JsonResponse:
    return _people(request, access.group_seat(request, cohort_id))


@login_required
def people_in_program(request: HttpRequest, program_id: int) -> JsonResponse:
    return _people(request, access.program_seat(request, program_id))


def _new_thread(request: HttpRequest, seat: Seat) -> HttpResponse:
    if not seat.may_post:
        raise PermissionDenied(_("Members of youth groups read this space only."))
    files = request.FILES if request.method == "POST" else None
    form = _offering_mentions(ThreadForm(_posted(request), files), seat)
    if request.method == "POST" and _may_post(form, seat, request.user):
        thread = records.start_thread(
            seat.space,
            request.user,
            form.cleaned_data["kind"],
            form.cleaned_data["title"],
            form.cleaned_data["body"],
            form.cleaned_data["file"],
            form.cleaned_data["description"],
        )
        messages.success(request, _("Your thread is open."))
        return redirect("discussions:thread", thread.pk)
    status = 400 if request.method == "POST" else 200
    context = {**_space_context(request, seat), "form": form, "back": space_url(seat)}
    return _render(request, "lms_discussions/new_thread.html", context, status)


@login_required
def new_in_group(request: HttpRequest, cohort_id: int) -> HttpResponse:
    return _new_thread(request, access.group_seat(request, cohort_id))


@login_required
def new_in_program(request: HttpRequest, program_id: int) -> HttpResponse:
    return _new_thread(request, access.program_seat(request, program_id))


def _follow_space(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = ToggleForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(space_url(seat))
    on = form.cleaned_data["on"]
    records.follow_space(seat.space, request.user, on=on)
    if on:
        messages.success(
            request, _("You follow this space: each new thread comes to your inbox.")
        )
    else:
        messages.success(request, _("You no longer follow this space."))
    return redirect(space_url(seat))


@login_required
@require_POST
def follow_group(request: HttpRequest, cohort_id: int) -> HttpResponse:
    return _follow_space(request, access.group_seat(request, cohort_id))


@login_required
@require_POST
def follow_program(request: HttpRequest, program_id: int) -> HttpResponse:
    return _follow_space(request, access.program_seat(request, program_id))


def _posts(thread: Thread, seat: Seat, user, page_number):
    """A page of the thread's posts, with their reactions counted and the
    reader's own marked: the same few queries for any number of posts."""
    posts = (
        thread.posts.select_related("author", "quoted__author")
        .prefetch_related("attachments")
        .annotate(
            helpful=Count("reactions", filter=Q(reactions__kind=Reaction.Kind.HELPFUL)),
            thanks=Count("reactions", filter=Q(reactions__kind=Reaction.Kind.THANKS)),
        )
        .order_by("created_at", "pk")
    )
    page = Paginator(posts, POSTS_PER_PAGE).get_page(page_number)
    mine = set(
        Reaction.objects.filter(
            post__in=[post.pk for post in page], user=user
        ).values_list("post_id", "kind")
    )
    quoted = [post.quoted for post in page if post.quoted is not None]
    names = mentions.names_for(seat, [post.body for post in [*page, *quoted]])
    for post in page:
        post.shown_author = seat.name(post.author)
        post.shown_html = mentions.shown_html(post.body, names, seat)
        post.files = [_file_shown(file) for file in post.attachments.all()]
        post.my_helpful = (post.pk, Reaction.Kind.HELPFUL) in mine
        post.my_thanks = (post.pk, Reaction.Kind.THANKS) in mine
        if post.quoted is not None:
            post.quoted.shown_author = seat.name(post.quoted.author)
            post.quoted.shown_preview = mentions.shown_preview(
                post.quoted.body, names, seat
            )
    return page


def _file_shown(file: Attachment) -> Attachment:
    """The file with its address, and a picture's image as the post shows it."""
    file.address = reverse("discussions:attachment", args=[file.pk])
    if file.is_picture:
        file.image = format_html(
            '<img src="{}" alt="{}" loading="lazy">', file.address, file.description
        )
    return file


def _materials(thread: Thread) -> list[Attachment]:
    """The files shown posts of a session's thread carry (slides, handouts,
    photos of the flip chart), listed with the session."""
    files = Attachment.objects.filter(
        post__thread=thread,
        post__deleted_at=None,
        post__hidden_at=None,
        post__held_for_review=False,
    ).order_by("pk")
    return [_file_shown(file) for file in files]


def _may_reply(thread: Thread, seat: Seat) -> bool:
    return seat.may_post and (not thread.locked or seat.moderates)


def _may_mark(thread: Thread, seat: Seat, user) -> bool:
    """A question's asker and the moderators mark its answer; in a
    session's thread, where members ask in replies, the moderators do."""
    if thread.kind == Thread.Kind.QUESTION:
        return seat.moderates or thread.author_id == user.pk
    return thread.session_id is not None and seat.moderates


def _quote(thread: Thread, seat: Seat, asked: str | None) -> Post | None:
    """The post of the thread a reply is to quote (`?quote=<id>`), if shown."""
    given = ReplyForm({"body": "-", "quote": asked})
    if not asked or not given.is_valid() or not given.cleaned_data["quote"]:
        return None
    quote = (
        thread.posts.select_related("author")
        .filter(pk=given.cleaned_data["quote"])
        .first()
    )
    if quote is None or quote.removed:
        return None
    quote.shown_author = seat.name(quote.author)
    names = mentions.names_for(seat, [quote.body])
    quote.shown_preview = mentions.shown_preview(quote.body, names, seat)
    return quote


def _thread_page(request, thread, seat, form=None, status=200) -> HttpResponse:
    quote = None
    if form is None:
        quote = _quote(thread, seat, request.GET.get("quote"))
        form = _offering_mentions(
            ReplyForm(initial={"quote": quote.pk if quote else None}), seat
        )
    context = {
        **_space_context(request, seat),
        "thread": thread,
        "items": _posts(thread, seat, request.user, request.GET.get("page")),
        "reader": Reader.objects.filter(thread=thread, user=request.user).first(),
        "form": form,
        "quote": quote,
        "may_reply": _may_reply(thread, seat),
        "may_mark": _may_mark(thread, seat, request.user),
        "back": space_url(seat),
    }
    if thread.session is not None:
        context["session"] = thread.session
        context["sees_place"] = sees_session_place(request.user, thread.session)
        context["materials"] = _materials(thread)
    response = _render(request, "lms_discussions/thread.html", context, status)
    records.mark_read(thread, request.user, context["reader"])
    return response


@login_required
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    found, seat = access.thread_for(request, thread_id)
    return _thread_page(request, found, seat)


@login_required
@require_POST
def reply(request: HttpRequest, thread_id: int) -> HttpResponse:
    found, seat = access.thread_for(request, thread_id)
    if not _may_reply(found, seat):
        raise PermissionDenied(_("This thread is locked."))
    form = _offering_mentions(ReplyForm(request.POST, request.FILES), seat)
    _may_post(form, seat, request.user)
    quoted = None
    if form.is_valid() and form.cleaned_data["quote"]:
        quoted = found.posts.filter(pk=form.cleaned_data["quote"]).first()
        if quoted is None or quoted.removed:
            form.add_error(None, _("The post you quoted is no longer there."))
    elif "quote" in form.errors:  # a hidden field: say it where it shows
        form.add_error(None, _("The post you quoted is no longer there."))
    if not form.is_valid():
        _file_chosen_again(form)
        # Sent again, the reply goes without the quote the message is about.
        form.data = form.data.copy()
        if form.non_field_errors():
            form.data["quote"] = ""
        return _thread_page(request, found, seat, form, status=400)
    post = records.reply(
        found,
        request.user,
        form.cleaned_data["body"],
        quoted,
        seat.cohort,
        form.cleaned_data["file"],
        form.cleaned_data["description"],
    )
    messages.success(request, _("Your reply is posted."))
    return redirect(records.thread_url(found, post))


def _own_post(request: HttpRequest, post_id: int) -> tuple[Post, Seat]:
    post, seat = access.post_for(request, post_id)
    if post.author_id != request.user.pk or post.deleted_at:
        raise PermissionDenied(_("Only its author can change a post."))
    # A lock stops the words too, not only new replies (deleting one's own
    # post stays possible).
    if post.thread.locked and not seat.moderates:
        raise PermissionDenied(_("This thread is locked."))
    return post, seat


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """A post's file, to those who may read the post: never a deleted
    post's; a hidden or held one's to the moderators only."""
    found = (
        Attachment.objects.select_related("post__thread__space")
        .filter(pk=attachment_id)
        .first()
    )
    if found is None:
        raise Http404
    post = found.post
    seat = access.seat_in(request, post.thread.space)
    if post.deleted_at or (post.removed and not seat.moderates):
        raise Http404
    return serve_private(found.file, inline=found.is_picture)


@login_required
def edit_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post, seat = _own_post(request, post_id)
    names = mentions.names_for(seat, [post.body])
    form = EditForm(
        _posted(request), initial={"body": mentions.written(post.body, names)}
    )
    form = _offering_mentions(form, seat)
    before = records.all_versions(post)
    if request.method == "POST" and _may_post(form, seat, request.user, before):
        records.edit(post, form.cleaned_data["body"], seat.cohort)
        messages.success(request, _("Your changes are saved."))
        return redirect(records.thread_url(post.thread, post))
    status = 400 if request.method == "POST" else 200
    context = {**_space_context(request, seat), "form": form, "post": post}
    return _render(request, "lms_discussions/edit.html", context, status)


@login_required
def delete_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post, seat = access.post_for(request, post_id)
    own = post.author_id == request.user.pk
    if not (own or seat.moderates) or post.deleted_at:
        raise PermissionDenied(_("Only its author or a moderator can delete a post."))
    if request.method == "POST":
        records.delete(post, moderator=None if own else request.user)
        messages.success(request, _("The post is deleted."))
        return redirect(records.thread_url(post.thread))
    context = {**_space_context(request, seat), "post": post}
    return _render(request, "lms_discussions/delete.html", context)


def _moderator(seat: Seat) -> None:
    if not seat.moderates:
        raise PermissionDenied(_("Only the space's moderators can do this."))


@login_required
def history(request: HttpRequest, post_id: int) -> HttpResponse:
    post, seat = access.post_for(request, post_id)
    _moderator(seat)
    post.shown_author = seat.name(post.author)
    revisions = list(post.revisions.all()[:50])
    names = mentions.names_for(seat, [post.body, *(r.body for r in revisions)])
    for text in [post, *revisions]:
        text.shown_html = mentions.shown_html(text.body, names, seat)
    context = {
        **_space_context(request, seat),
        "post": post,
        "revisions": revisions,
    }
    return _render(request, "lms_discussions/history.html", context)


@login_required
@require_POST
def answer(request: HttpRequest, post_id: int) -> HttpResponse:
    post, seat = access.post_for(request, post_id)
    found = post.thread
    if not _may_mark(found, seat, request.user):
        raise PermissionDenied(_("Only the asker or a moderator marks the answer."))
    if post.opening or post.removed:
        messages.error(request, _("Only a reply to a question can be its answer."))
    elif records.mark_answer(found, post, request.user, seat.cohort):
        messages.success(request, _("Marked as the answer."))
    else:
        messages.success(request, _("No longer marked as the answer."))
    return redirect(records.thread_url(found, post))


@login_required
def flag_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post, seat = access.post_for(request, post_id)
    if post.author_id == request.user.pk:
        raise PermissionDenied(_("You cannot flag your own post."))
    form = FlagForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if records.flag(post, request.user, form.cleaned_data["reason"], seat.cohort):
            messages.success(request, _("Thank you: the moderators will look."))
        else:
            messages.info(request, _("You had flagged this post already."))
        return redirect(records.thread_url(post.thread, post))
    status = 400 if request.method == "POST" else 200
    context = {**_space_context(request, seat), "form": form, "post": post}
    return _render(request, "lms_discussions/flag.html", context, status)


def _toggle(request: HttpRequest) -> bool | None:
    form = ToggleForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return None
    return form.cleaned_data["on"]


@login_required
@require_POST
def hide_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post, seat = access.post_for(request, post_id)
    _moderator(seat)
    hidden = _toggle(request)
    if hidden is not None:
        records.set_hidden(post, request.user, hidden)
        messages.success(
            request, _("The post is hidden.") if hidden else _("The post is shown.")
        )
    return redirect(records.thread_url(post.thread, post))


@login_required
@require_POST
def pin_thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    found, seat = access.thread_for(request, thread_id)
    _moderator(seat)
    pinned = _toggle(request)
    if pinned is not None:
        records.set_pinned(found, request.user, pinned)
    return redirect(records.thread_url(found))


@login_required
@require_POST
def lock_thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    found, seat = access.thread_for(request, thread_id)
    _moderator(seat)
    locked = _toggle(request)
    if locked is not None:
        records.set_locked(found, request.user, locked)
    return redirect(records.thread_url(found))


def _place_key(seat: Seat) -> str:
    """How the move form names a space (it may have no row yet)."""
    if seat.cohort is not None:
        return f"group-{seat.cohort.pk}"
    return f"program-{seat.program.pk}"


@login_required
def move_thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    found, seat = access.thread_for(request, thread_id)
    _moderator(seat)
    if found.session_id is not None:
        raise PermissionDenied(_("A session's thread stays with its group."))
    targets = {
        _place_key(target): target for target in access.move_targets(request, seat)
    }
    form = MoveForm(
        _posted(request),
        targets={key: target.title() for key, target in targets.items()},
    )
    if request.method == "POST" and form.is_valid():
        target = targets[form.cleaned_data["to"]]
        if records.move(found, target.space, request.user):
            messages.success(
                request,
                _("The thread is now in %(space)s.") % {"space": target.title()},
            )
            return redirect(records.thread_url(found))
        form.add_error(
            "to",
            _("Someone who wrote in this thread is not in %(space)s: it stays here.")
            % {"space": target.title()},
        )
    status = 400 if request.method == "POST" else 200
    context = {
        **_space_context(request, seat),
        "form": form,
        "thread": found,
        "youth_group": seat.cohort is not None and seat.cohort.is_youth,
    }
    return _render(request, "lms_discussions/move.html", context, status)


def _moderation(request: HttpRequest, seat: Seat) -> HttpResponse:
    _moderator(seat)
    actions = (
        ModerationAction.objects.filter(space_id=seat.space.pk)
        .select_related("moderator", "thread__session", "post")
        .order_by("-at", "-pk")
    )
    page = Paginator(actions, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    for action in page:
        action.shown_moderator = (
            seat.name(action.moderator) if action.moderator_id else ""
        )
    waiting = (
        Post.objects.filter(thread__space_id=seat.space.pk, flags__gt=0)
        .select_related("thread__session")
        .order_by("-held_for_review", "-flags")[:50]
    )
    context = {**_space_context(request, seat), "items": page, "waiting": waiting}
    return _render(request, "lms_discussions/moderation.html", context)


@login_required
def moderation_group(request: HttpRequest, cohort_id: int) -> HttpResponse:
    return _moderation(request, access.group_seat(request, cohort_id))


@login_required
def moderation_program(request: HttpRequest, program_id: int) -> HttpResponse:
    return _moderation(request, access.program_seat(request, program_id))


@login_required
@require_POST
def follow(request: HttpRequest, thread_id: int) -> HttpResponse:
    found, _seat = access.thread_for(request, thread_id)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        records.choose(found, request.user, form.cleaned_data["choice"])
        messages.success(request, _("Your choice is saved."))
    return redirect(records.thread_url(found))


@login_required
@require_POST
def react(request: HttpRequest, post_id: int) -> HttpResponse:
    post, _seat = access.post_for(request, post_id)
    form = ReactionForm(request.POST)
    if post.removed:
        messages.error(request, _("This post is not shown."))
    elif not form.is_valid():
        messages.error(request, first_error(form))
    else:
        records.react(post, request.user, form.cleaned_data["kind"])
    return redirect(records.thread_url(post.thread, post))
