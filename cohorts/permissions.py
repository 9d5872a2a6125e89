"""Who may see and do what in a cohort: one rule per question.

The rules take a membership already looked up (`membership()`), so a page
that asks several questions queries once and answers them all the same way
the views that enforce them do. Plugins ask with the group itself, through
`sdk`: `is_member` is `membership` and `facilitates` is `can_facilitate`.
"""

import json
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.functions import Cast
from django.db.models.lookups import Contains
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction
from wagtail.permission_policies.base import BasePermissionPolicy

from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership, Program
from cohorts.programs import group_managers

STAFF_ROLES = {Membership.Role.FACILITATOR, Membership.Role.LEAD}


def own_membership(user: AbstractBaseUser, cohort: CohortPage) -> Membership | None:
    """The user's membership in any state but "left" (waiting and invited too)."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(cohort=cohort, user=user)
        .exclude(status=Membership.Status.LEFT)
        .first()
    )


def current(found: Membership | None) -> Membership | None:
    """Only a current (active or completed) membership makes someone a member."""
    return (
        found if found is not None and found.status in CURRENT_MEMBER_STATUSES else None
    )


def membership(user: AbstractBaseUser, cohort: CohortPage) -> Membership | None:
    """The user's current (active or completed) membership of the cohort."""
    return current(own_membership(user, cohort))


def staff_role(found: Membership | None) -> bool:
    """The membership is a facilitator's or a lead's."""
    return found is not None and found.role in STAFF_ROLES


def facilitates(user: AbstractBaseUser, found: Membership | None) -> bool:
    """Facilitators and leads of the cohort (and superusers) run it."""
    if user.is_authenticated and user.is_superuser:
        return True
    return staff_role(found)


def insider(user: AbstractBaseUser, found: Membership | None) -> bool:
    """Members and the people running the cohort see its member-only pages."""
    return found is not None or facilitates(user, found)


def may_answer(
    user: AbstractBaseUser, cohort: CohortPage, found: Membership | None
) -> bool:
    """Members answer for their cohort's sessions; anyone signed in for events."""
    return user.is_authenticated and (found is not None or cohort.open_to_everyone)


def can_facilitate(user: AbstractBaseUser, cohort: CohortPage) -> bool:
    """The user runs the group: its current facilitators and leads, and
    superusers (`facilitates` asks the same of a membership already found)."""
    return facilitates(user, membership(user, cohort))


def switched_on(label: str) -> Q | Contains:
    """The condition, on CohortPage, that plugin `label` is switched on.

    The list of plugins is JSON; databases without JSON containment (SQLite)
    look for the quoted label in its text, which matches a whole element
    only: labels are identifiers, so no element's text holds a quote (and
    are lower case, as SQLite's LIKE ignores case)."""
    if connection.features.supports_json_field_contains:
        return Q(plugins__contains=[label])
    return Contains(Cast("plugins", TextField()), json.dumps(label))


def groups_using_plugin(user: AbstractBaseUser, label: str) -> QuerySet[CohortPage]:
    """The live groups the user is a current member of (active or completed,
    any role) that switched plugin `label` on, in one query; inside another
    query (`cohort__in=...`) no query of its own. A cohort-scoped plugin's My
    learning panel, called with `cohort=None`, limits itself to these."""
    if not user.is_authenticated:
        return CohortPage.objects.none()
    return CohortPage.objects.live().filter(
        switched_on(label),
        pk__in=Membership.objects.filter(
            user=user, status__in=CURRENT_MEMBER_STATUSES
        ).values("cohort_id"),
    )


def privacy_refuses(page: Page, request: HttpRequest) -> bool:
    """Wagtail's privacy settings of the page (or of a page above it: login,
    groups or password) refuse this request, as they would the page itself."""
    return any(
        not restriction.accept_request(request)
        for restriction in page.get_view_restrictions()
    )


def as_request(
    user: AbstractBaseUser, browser: HttpRequest | None = None
) -> HttpRequest:
    """A request from `user` for checks made away from their own signed-in
    browser (calendar feeds, links in e-mail, plugins' access rules). Without
    `browser`, a password-protected page refuses it, since no password was
    entered; with the request of the browser the check is made from, the
    passwords typed in that browser count (a link in an e-mail opened there)."""
    request = HttpRequest()
    request.user = user
    request.session = browser.session if browser is not None else {}
    return request


def privacy_refuses_sessionless(
    user: AbstractBaseUser, path: str, passed: Iterable[int] = ()
) -> Exists:
    """Whether the privacy settings of a page (or of a page above it) refuse
    `user` without a browser session, as `privacy_refuses(page,
    as_request(user))` would, as a condition inside the caller's query (so a
    list of many groups is judged without a query per group). `path` names
    the page's tree path in the outer query, e.g. "cohort__path".

    Without a session no password was entered (`passed` names the password
    restrictions a browser's session passed, when there is one); a login
    restriction lets any signed-in person in; a groups restriction lets in
    superusers and members of one of its groups. An alias has its source
    page's settings."""
    return Exists(
        PageViewRestriction.objects.filter(
            restrictions_refusing(user, passed),
            HoldsAt(F("page_id"), OuterRef(path)),
        )
    )


class HoldsAt(Expression):
    """Whether the restrictions of page `restricted` hold at tree path `path`:
    the path is the page's own or below it, or below an alias of it, or of an
    alias of that alias and so on. A condition inside a query; asked of the
    restrictions (a few rows), never of every page of the site."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, restricted, path):
        super().__init__()
        self.restricted, self.path = restricted, path

    def get_source_expressions(self):
        return [self.restricted, self.path]

    def set_source_expressions(self, exprs):
        self.restricted, self.path = exprs

    def as_sql(self, compiler, connection):
        restricted, restricted_params = compiler.compile(self.restricted)
        path, path_params = compiler.compile(self.path)
        # The compiled SQL of two column references and our table names.
        sql = (
            f"EXISTS ({paths_of_restricted_pages(connection)} SELECT 1 FROM below "  # noqa: S608
            f"WHERE below.restricted = {restricted} "
            f"AND below.path = SUBSTR({path}, 1, LENGTH(below.path)))"
        )
        return sql, (*restricted_params, *path_params)


def restrictions_refusing(user: AbstractBaseUser, passed: Iterable[int] = ()) -> Q:
    """The condition on restrictions that refuse `user` without a browser
    session (`passed`: the password restrictions a browser's session passed)."""
    refusing = Q(restriction_type=PageViewRestriction.PASSWORD)
    if passed:
        refusing &= ~Q(pk__in=list(passed))
    if not user.is_authenticated:
        refusing |= Q(restriction_type=PageViewRestriction.LOGIN)
    if not user.is_superuser:
        refusing |= Q(restriction_type=PageViewRestriction.GROUPS) & ~Q(
            groups__in=user.groups.values("pk")
        )
    return refusing


def passwords_passed(request: HttpRequest | None) -> list[int]:
    """The password restrictions typed in this browser (none without one)."""
    session = getattr(request, "session", None)
    key = PageViewRestriction.passed_view_restrictions_session_key
    return session.get(key, []) if session is not None else []


def viewable_pages(
    pages: QuerySet, user: AbstractBaseUser, request: HttpRequest | None = None
) -> QuerySet:
    """Those of `pages` (a page type's QuerySet) published and admitted by
    their privacy settings for `user`, as `viewable_groups` judges groups:
    one condition inside the query."""
    return pages.live().exclude(
        privacy_refuses_sessionless(user, "path", passwords_passed(request))
    )


def viewable_groups(
    user: AbstractBaseUser, request: HttpRequest | None = None
) -> QuerySet[CohortPage]:
    """The groups whose pages `user` may see: published, and admitted by
    their pages' privacy settings (those of a page above them too). From a
    view pass its `request`, so a password typed in that browser counts;
    without it (hooks, tasks, calendar feeds) a password-protected group is
    left out. Meant inside another query (`cohort__in=viewable_groups(user)`),
    where it costs no query of its own."""
    return viewable_pages(CohortPage.objects.all(), user, request)


def admitted_by_privacy(page: Page) -> Q:
    """The condition, on people (the user model), that the privacy settings
    of the page (or of a page above it) admit them without a browser session,
    as `privacy_refuses(page, as_request(person))` would: for a whole group's
    e-mail at once. No password was entered (nobody is admitted to a
    password-protected page); a login restriction admits everyone with an
    account; a groups restriction admits superusers and its groups' members."""
    admitted = Q()
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type == PageViewRestriction.PASSWORD:
            return Q(pk__in=[])
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            in_its_groups = get_user_model().objects.filter(
                groups__in=restriction.groups.values("pk")
            )
            admitted &= Q(is_superuser=True) | Q(pk__in=in_its_groups.values("pk"))
    return admitted


def refused_as_private() -> PermissionDenied:
    return PermissionDenied(
        _("This group's page is private. Open the group's page first.")
    )


def check_privacy(page: Page, request: HttpRequest) -> None:
    if privacy_refuses(page, request):
        raise refused_as_private()


def viewable_cohort(
    request: HttpRequest, cohort_id: int, cohorts: QuerySet | None = None
) -> CohortPage:
    """The live cohort for a view of its own: 404 if there is none, 403 if its
    page's privacy settings refuse the request (every custom view keyed to a
    cohort page gets it here, so none can bypass the page's privacy)."""
    found = CohortPage.objects.live() if cohorts is None else cohorts
    cohort = get_object_or_404(found, pk=cohort_id)
    # Judged only for a group below a page with privacy settings (or below
    # an alias of one, however many aliases away, as Wagtail judges it).
    above = [page for page, path in restricted_pages() if cohort.path.startswith(path)]
    if above:
        refusing = restrictions_refusing(request.user, passwords_passed(request))
        if PageViewRestriction.objects.filter(refusing, page__in=above).exists():
            raise refused_as_private()
    return cohort


def restricted_pages() -> list[tuple[int, str]]:
    """(The restricted page, a tree path below which its restrictions hold):
    its own path, and those of its aliases, their aliases and so on (an
    alias has its source's settings). None on most sites, a few on others.
    Written out in SQL: it is asked on every view of a group."""
    with connection.cursor() as cursor:
        paths = paths_of_restricted_pages(connection)
        cursor.execute(f"{paths} SELECT restricted, path FROM below")  # noqa: S608
        return cursor.fetchall()


def paths_of_restricted_pages(connection) -> str:
    """SQL naming `below` (restricted, path): each page with restrictions and
    the tree paths below which they hold — its own and its aliases', along
    chains of aliases (Wagtail gives an alias its source's settings)."""
    page = connection.ops.quote_name(Page._meta.db_table)
    restriction = connection.ops.quote_name(PageViewRestriction._meta.db_table)
    return (
        "WITH RECURSIVE below (restricted, id, path) AS ("  # noqa: S608 (table names)
        f"SELECT restricted.id, restricted.id, restricted.path FROM {restriction} "
        f"restriction INNER JOIN {page} restricted "
        "ON restriction.page_id = restricted.id "
        "UNION "
        f"SELECT below.restricted, alias.id, alias.path FROM {page} alias "
        "INNER JOIN below ON alias.alias_of_id = below.id)"
    )


def led_programs(user: AbstractBaseUser) -> QuerySet[Program]:
    """The programs whose groups, reports and people `user` may manage as a
    program lead: those naming them a lead (Program.leads); all for superusers."""
    return Program.objects.led_by(user)


def reported_programs(user: AbstractBaseUser) -> QuerySet[Program]:
    """The programs whose reports `user` reads: those they lead (whole), and
    those with groups they manage otherwise (a chapter's leads: the groups
    below their chapter's pages, for which alone they read it)."""
    if not user.is_authenticated:
        return Program.objects.none()
    return Program.objects.filter(
        Q(pk__in=led_programs(user).values("pk"))
        | Q(pk__in=managed_cohorts(user).values("program"))
    )


def program_report_groups(
    user: AbstractBaseUser, program: Program
) -> QuerySet[CohortPage] | None:
    """The groups of `program` its report shows `user`: None for all of them
    (its leads, superusers); a chapter's leads, those they manage."""
    if led_programs(user).filter(pk=program.pk).exists():
        return None
    return managed_cohorts(user).filter(program=program)


def check_sees_reports(user: AbstractBaseUser, cohort: CohortPage) -> None:
    """The group's reports are for those running it and its program's
    leads: 403 for anyone else."""
    if not (can_facilitate(user, cohort) or leads_cohort(user, cohort)):
        raise PermissionDenied(
            _("Only this group's facilitators and leads see reports.")
        )


def leads_cohort(user: AbstractBaseUser, cohort: CohortPage) -> bool:
    """A lead of the cohort's program, another manager of it (its chapter's
    leads) or a superuser; a lead of another program is no one here."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return managed_cohorts(user).filter(pk=cohort.pk).exists()


def runs_anything(user: AbstractBaseUser) -> bool:
    """Whether `user` has staff rights anywhere: a superuser, someone who
    runs a group or manages groups (leads a program, a chapter)."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, role__in=STAFF_ROLES, status__in=CURRENT_MEMBER_STATUSES
        ).exists()
        or managed_cohorts(user).exists()
    )


def managed_cohorts(user: AbstractBaseUser) -> QuerySet[CohortPage]:
    """The groups whose sessions, memberships and announcements `user`
    manages in the admin: those of the programs they lead, and those other
    managers of groups manage (`programs.group_managers`: a chapter's leads,
    the groups below their chapter's pages). Inside another query it costs
    no query of its own."""
    if user.is_authenticated and user.is_superuser:
        return CohortPage.objects.all()
    managed = Q(program__in=led_programs(user))
    if user.is_authenticated:
        for managers in group_managers:
            managed |= managers.groups(user)
    return CohortPage.objects.filter(managed)


def managed_people(user: AbstractBaseUser, also: int | None = None) -> QuerySet:
    """The people `user` may pick in the admin (to add to a group): those
    with a membership in a group they manage, and the person `also` already
    chosen; everyone for superusers."""
    people = get_user_model().objects.all()
    if user.is_authenticated and user.is_superuser:
        return people
    return people.filter(
        Q(memberships__cohort__in=managed_cohorts(user)) | Q(pk=also)
    ).distinct()


class ProgramLeadsPolicy(BasePermissionPolicy):
    """An admin permission policy: the leads of any program and superusers
    may do everything with the model's rows (the network's: partners,
    surveys, affiliations; a chapter's leads are not admitted); no role's
    model permissions are needed. Subclass it to refuse some actions on
    some rows."""

    def user_has_permission(self, user, action):
        if not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        cached = getattr(user, "_leads_a_program", None)
        if cached is None:
            # Named among a program's leads: a chapter's leads, who lead
            # their chapter's own programs, are not admitted.
            cached = user._leads_a_program = Program.objects.filter(leads=user).exists()
        return cached

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(pk__in=Program.objects.values("leads")),
            is_active=True,
        )
