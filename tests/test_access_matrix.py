"""Who may reach what: every URL of the site, for everyone who might ask.

One table, MATRIX, holds an entry for every URL pattern in the URL conf, every
page type (served through Wagtail's catch-all) and every route of a routable
page type. A URL added without an entry fails `test_every_url_has_an_entry`.
`test_access_matrix` asks each URL as each role (GET, or POST where GET
answers 405), checks the status, and checks that the private strings of the
world appear exactly where they may.

The plugins' own matrices (tests/test_coaching.py, tests/test_grantwriting.py)
stay: they tell roles apart that only the plugin knows (coachee and other
participant, author and peer) and run when other plugins are switched off.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from lms_coaching.models import Attachment, CoachingSession, Goal, NextStep
from lms_discussions.models import Attachment as DiscussionFile
from lms_discussions.models import Space
from lms_discussions.records import start_thread
from lms_example_plugin.models import ReadingListPage
from lms_grantwriting.models import Assignment, Draft
from lms_grantwriting.work import submit_version
from lms_partners.directory import PartnerDirectoryPage
from lms_partners.models import Partner
from lms_partners.reviews import review_token
from lms_surveys.answering import answer_token as survey_token
from lms_surveys.models import Answer as SurveyAnswer
from lms_surveys.models import Moment as SurveyMoment
from lms_surveys.models import Response as SurveyResponse
from lms_surveys.models import Submission as SurveySubmission
from lms_surveys.models import Survey
from lms_toolkits.models import ToolkitIndexPage
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    PageViewRestriction,
    get_page_models,
)

from api.tokens import create_token
from cohorts.models import CatalogueIndexPage, Program
from content.models import CourseIndexPage, LessonPage
from insights.models import IndicatorResult
from learning.models import Certificate
from lms.roles import PROGRAM_LEADS, ensure_role_groups
from newsletter.models import Subscriber
from newsletter.tokens import CONFIRM_SALT, UNSUBSCRIBE_SALT, make_token
from notifications.emails import answer_token, unsubscribe_url
from notifications.inbox import ANNOUNCEMENT, notify
from notifications.models import Announcement, Notification
from organisations.models import Organisation
from scheduling.models import RSVP, Attendance
from sdk.testing import status_problem
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    PageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    SessionFactory,
    StandardPageFactory,
    UserFactory,
    course_with_lessons,
    indicator_of,
)
from tests.helpers import body_of
from tests.test_calendar import feed_of
from tests.test_learning_paths import make_path
from tests.test_toolkits import make_toolkit

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "participant",  # of group A (program A)
    "other_participant",  # of group B (program B)
    "facilitator",  # of group A
    "other_facilitator",  # of group B
    "lead",  # program lead of program A
    "other_lead",  # program lead of program B
    "superuser",
)

# The private strings of the world, and the only cells (role, entry) showing them.
PRIVATE_NOTE = "PRIVATE-NOTE-Ana-is-struggling-with-the-board"  # coaching
PRIVATE_DRAFT = "PRIVATE-DRAFT-our-board-has-not-approved-this"  # grantwriting
CONTACT = "ana.private-contact@example.org"  # the participant's e-mail address
YOUTH_NAME = "Quintanilla-Vega"  # a youth member's surname: first names only
PLACE = "12 Hidden Lane, back door"  # the session's address: for those going
INBOX_NOTE = "INBOX-NOTE-for-Ana-alone"  # in the participant's notification
SURVEY_ANSWER = "SURVEY-ANSWER-the-pace-was-too-fast"  # a named survey's answer
RESULT_NOTE = "RESULT-NOTE-from-the-sign-in-sheet"  # a lead's note on a result
PARTNER_NOTE = "PARTNER-NOTE-director-is-leaving"  # a partner's internal notes
MAY_SEE = {
    PRIVATE_NOTE: {
        ("facilitator", "coaching:session"),
        ("facilitator", "coaching:edit"),
        ("facilitator", "coaching:add_attachment"),  # the session page again
        ("facilitator", "api-v1:lms_coaching_sessions"),
        ("facilitator", "api-v1:lms_coaching_session"),
    },
    PRIVATE_DRAFT: {
        ("participant", "grantwriting:draft"),
        ("facilitator", "grantwriting:draft"),
        ("participant", "api-v1:lms_grantwriting_draft"),
        ("facilitator", "api-v1:lms_grantwriting_draft"),
    },
    CONTACT: {
        ("participant", "account_email"),
        ("participant", "api-v1:me"),
        ("facilitator", "cohorts:members"),
        ("facilitator", "cohorts:members@youth"),
        # Choosing whom a coaching session was with: the group's members.
        ("facilitator", "coaching:log"),
        ("facilitator", "coaching:edit"),
        ("superuser", "cohorts:members"),
        ("superuser", "cohorts:members@youth"),
        ("facilitator", "api-v1:group_members"),
        ("facilitator", "api-v1:group_members@youth"),
        ("superuser", "api-v1:group_members"),
        ("superuser", "api-v1:group_members@youth"),
    },
    YOUTH_NAME: {
        ("facilitator", "cohorts:members@youth"),
        ("superuser", "cohorts:members@youth"),
        ("facilitator", "api-v1:group_members@youth"),
        ("superuser", "api-v1:group_members@youth"),
        # A notification from a youth member: the group's staff see the name.
        ("facilitator", "cohorts:inbox"),
        ("facilitator", "api-v1:my_notifications"),
        # A youth member's thread: the group's staff and program lead see it.
        ("facilitator", "discussions:group@youth"),
        ("facilitator", "discussions:thread@youth"),
        ("lead", "discussions:group@youth"),
        ("lead", "discussions:thread@youth"),
        ("superuser", "discussions:group@youth"),
        ("superuser", "discussions:thread@youth"),
        # A named survey's answers by person: the youth group's staff.
        ("facilitator", "surveys:results@youth"),
        ("superuser", "surveys:results@youth"),
    },
    INBOX_NOTE: {
        ("participant", "cohorts:inbox"),
        ("participant", "api-v1:my_notifications"),
    },
    RESULT_NOTE: {("lead", "cohorts:indicator"), ("superuser", "cohorts:indicator")},
    # Internal notes are the admin's only: no page of the site shows them.
    PARTNER_NOTE: set(),
    SURVEY_ANSWER: {
        (role, page)
        for role in ("facilitator", "lead", "superuser")
        for page in (
            "surveys:results",
            "surveys:results_csv",
            "surveys:results@youth",
        )
    },
    PLACE: {
        ("participant", "page:cohorts.CohortPage"),  # going
        ("participant", "api-v1:group_sessions"),
        ("participant", "api-v1:my_sessions"),
        ("facilitator", "api-v1:my_sessions"),
        ("facilitator", "api-v1:group_sessions"),
        ("superuser", "api-v1:group_sessions"),
        ("facilitator", "page:cohorts.CohortPage"),
        ("superuser", "page:cohorts.CohortPage"),
    },
}

GET, POST = "GET", "POST"
LOGIN = "L"


@dataclass(frozen=True)
class Entry:
    method: str
    args: tuple[str, ...]  # names of the world's values the URL is built from
    statuses: tuple[str, ...]  # one per role, in the order of ROLES


def table(text: str) -> dict[str, Entry]:
    """MATRIX from its text: one URL a line, `name [POST] [arguments] statuses`.

    Statuses, one per role in the order of ROLES: 200 shown, 302 done or sent
    on, 400 refused input, 403 refused, 404 not even shown to exist, L sent to
    log in.
    """
    entries = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, *args = line.split()[: -len(ROLES)]
        method = GET
        if args[:1] == [POST]:
            method, args = POST, args[1:]
        assert name not in entries, f"{name} is in MATRIX twice"
        entries[name] = Entry(method, tuple(args), tuple(line.split()[-len(ROLES) :]))
    return entries


# One line per URL. Names: a URL pattern's name ("/route" when it has none);
# "page:<app.Model>" for a page type; "<app.Model>:<route>" for a routable
# page's route; "name@variant" asks the same URL with other arguments. Pages
# and routes without arguments are asked for the page of that type.
MATRIX = table("""
# URL name or page type, POST if asked so, arguments   anon par o-p fac o-f lea o-l sup
wagtaildocs_serve document document_file               200 200 200 200 200 200 200 200
wagtaildocs_authenticate_with_password restricted_docs 200 200 200 200 200 200 200 200
/sitemap.xml                                           200 200 200 200 200 200 200 200
badges:issuer                                          200 200 200 200 200 200 200 200
badges:badge_class course                              200 200 200 200 200 200 200 200
badges:image course                                    200 200 200 200 200 200 200 200
badges:assertion certificate                           200 200 200 200 200 200 200 200
account_login                                          200 302 302 302 302 302 302 302
account_logout                                         302 200 200 200 200 200 200 200
account_inactive                                       200 200 200 200 200 200 200 200
account_signup                                         200 302 302 302 302 302 302 302
account_reauthenticate                                   L 200 200 200 200 200 200 200
account_email                                            L 200 200 200 200 200 200 200
account_email_verification_sent                        200 200 200 200 200 200 200 200
account_change_password                                  L 200 200 200 200 200 200 200
account_set_password                                     L 302 302 302 302 302 302 302
account_reset_password                                 200 200 200 200 200 200 200 200
account_confirm_login_code                               L 302 302 302 302 302 302 302
account_confirm_email bogus_key                        200 200 200 200 200 200 200 200
account_reset_password_from_key_done                   200 200 200 200 200 200 200 200
account_reset_password_from_key uidb36 bogus_key       200 200 200 200 200 200 200 200
account_reset_password_done                            200 200 200 200 200 200 200 200
your_data                                                L 200 200 200 200 200 200 200
download_your_data POST                                  L 200 200 200 200 200 200 200
delete_account                                           L 200 200 200 200 200 200 200
api_tokens                                               L 200 200 200 200 200 200 200
api_token_revoke POST api_token                          L 302 404 404 404 404 404 404
account_deleted                                        200 200 200 200 200 200 200 200
admin_password_reset                                   302 302 302 302 302 302 302 302
dashboard                                                L 200 200 200 200 200 200 200
# The API: public, or a person's own (their session here; tokens in test_api).
api-v1:api-root                                        404 404 404 404 404 404 404 404
api-v1:openapi-json                                    200 200 200 200 200 200 200 200
api-v1:openapi-view                                    200 200 200 200 200 200 200 200
api-v1:programs                                        200 200 200 200 200 200 200 200
api-v1:groups                                          200 200 200 200 200 200 200 200
api-v1:one_group group                                 200 200 200 200 200 200 200 200
api-v1:group_sessions group                            200 200 200 200 200 200 200 200
# The course library's public courses, as content.CoursePage (a private
# course or lesson: tests/test_api_public.py).
api-v1:courses                                         200 200 200 200 200 200 200 200
api-v1:course course                                   200 200 200 200 200 200 200 200
# PUT only (tests/test_api.py asks it as each kind of caller).
api-v1:answer_session session                          405 405 405 405 405 405 405 405
api-v1:me                                              401 200 200 200 200 200 200 200
api-v1:my_memberships                                  401 200 200 200 200 200 200 200
# Joining (PUT) and leaving (DELETE) a group: tests/test_api.py.
api-v1:join_group group                                405 405 405 405 405 405 405 405
api-v1:leave_group group                               405 405 405 405 405 405 405 405
api-v1:my_sessions                                     401 200 200 200 200 200 200 200
api-v1:my_certificates                                 401 200 200 200 200 200 200 200
# Whether they have a calendar address (making one is POST, turning it off
# DELETE: tests/test_calendar.py); the address itself is never shown again.
api-v1:my_calendar                                     401 200 200 200 200 200 200 200
api-v1:new_calendar                                    401 200 200 200 200 200 200 200
api-v1:calendar_off                                    401 200 200 200 200 200 200 200
# Their inbox, as cohorts:inbox (marking read is PUT: tests/test_inbox.py).
api-v1:my_notifications                                401 200 200 200 200 200 200 200
api-v1:read_notification notification                  405 405 405 405 405 405 405 405
api-v1:read_all_notifications                          405 405 405 405 405 405 405 405
# Their own data's file, as download_your_data (compressed: the strings below
# are not read in it; tests/test_api_running_a_group.py opens it).
api-v1:my_data                                         401 200 200 200 200 200 200 200
# A group's course, as cohorts:course (marking done is PUT: tests/test_courses.py).
api-v1:group_course group                              401 200 403 200 403 403 403 200
api-v1:lesson_done group group                         405 405 405 405 405 405 405 405
# Running a group: as the members page and the register (PUT: tests/test_api.py).
api-v1:group_members group                             401 200 403 200 403 403 403 200
api-v1:group_members@youth youth_group                 401 200 403 200 403 403 403 200
# As cohorts:dashboard's warning lists (tests/test_facilitator_dashboard.py).
api-v1:group_standing group                            401 403 403 200 403 403 403 200
api-v1:session_attendance held_session                 401 403 403 200 403 403 403 200
# The same address (its PUT is asked as each caller in tests/test_api.py).
api-v1:save_attendance held_session                    401 403 403 200 403 403 403 200
# Leading a program: its logic model's indicators, as its page shows them.
api-v1:program_indicators program                      401 403 403 403 403 200 404 200
# Reports' tables, as cohorts:program_reports and cohorts:reports.
api-v1:program_reports program                         401 403 403 403 403 200 404 200
api-v1:group_reports group                             401 403 403 200 403 200 403 200
# A plugin's routes (lms_api_routes): the example plugin's, a person's own notes.
api-v1:lms_example_plugin_notes                        401 200 200 200 200 200 200 200
api-v1:lms_example_plugin_write_note                   401 200 200 200 200 200 200 200
# Coaching's: a person's sessions as coach or coachee (as coaching:session).
api-v1:lms_coaching_sessions                           401 200 200 200 200 200 200 200
api-v1:lms_coaching_session coaching                   401 200 404 200 404 404 404 404
# Toolkits': a person's checklists (PUT: tests/test_toolkits.py).
api-v1:lms_toolkits_progress                           401 200 200 200 200 200 200 200
api-v1:lms_toolkits_tick toolkit bogus_key             405 405 405 405 405 405 405 405
# Grant writing's: a workshop's drafts, one draft (as its pages).
api-v1:lms_grantwriting_drafts group                   401 200 404 200 404 404 404 404
api-v1:lms_grantwriting_draft draft                    401 200 404 200 404 404 404 404
cohorts:join POST group                                  L 302 302 302 302 302 302 302
cohorts:join_by_email group                            200 200 200 200 200 200 200 200
cohorts:confirm_join join_token                        200 200 200 200 200 200 200 200
cohorts:wrap_up POST group                               L 403 403 403 403 403 403 403
cohorts:leave group                                      L 200 302 200 302 302 302 302
cohorts:members group                                  403 200 403 200 403 403 403 200
cohorts:members@youth youth_group                      403 200 403 200 403 403 403 200
cohorts:announcements group                              L 200 403 200 403 403 403 200
cohorts:course group                                     L 200 403 200 403 403 403 200
cohorts:certificate certificate                        200 200 200 200 200 200 200 200
cohorts:certificate_pdf certificate                      L 200 404 404 404 404 404 404
cohorts:reports group                                    L 403 403 200 403 200 403 200
cohorts:programs                                         L 403 403 403 403 200 200 200
cohorts:program_reports program                          L 403 403 403 403 200 404 200
cohorts:logic_model_current program                      L 403 403 403 403 200 404 200
cohorts:logic_model program logic_model                  L 403 403 403 403 200 404 200
cohorts:indicator program indicator                      L 403 403 403 403 200 404 200
cohorts:indicator_evidence program result                L 403 403 403 403 200 404 200
cohorts:indicator_withdraw POST program result           L 403 403 403 403 302 404 302
cohorts:dashboard group                                  L 403 403 200 403 403 403 200
cohorts:nudge POST group                                 L 403 403 400 403 403 403 400
cohorts:lesson group lesson                              L 200 403 200 403 403 403 200
cohorts:attendance_report group                          L 403 403 200 403 403 403 200
cohorts:rsvp POST session                                L 302 403 302 403 403 403 403
cohorts:attendance held_session                          L 403 403 200 403 403 403 200
cohorts:session_ics session                            200 200 200 200 200 200 200 200
cohorts:calendar_feed feed                             200 200 200 200 200 200 200 200
cohorts:cohort_calendar_feed feed group                200 200 200 200 200 200 200 200
cohorts:email_settings                                   L 200 200 200 200 200 200 200
cohorts:notification_choices                             L 200 200 200 200 200 200 200
cohorts:inbox                                            L 200 200 200 200 200 200 200
cohorts:inbox_read_all POST                              L 302 302 302 302 302 302 302
cohorts:open_notification POST notification              L 302 404 404 404 404 404 404
cohorts:calendar_address                               L 302 302 302 302 302 302 302
cohorts:unsubscribe unsubscribe                        200 200 200 200 200 200 200 200
cohorts:answer_by_link answer                          200 200 200 200 200 200 200 200
newsletter:subscribe                                   200 200 200 200 200 200 200 200
newsletter:check_inbox                                 200 200 200 200 200 200 200 200
newsletter:confirm newsletter_confirm                  200 200 200 200 200 200 200 200
newsletter:unsubscribe newsletter_unsubscribe          200 200 200 200 200 200 200 200
example:notes                                            L 200 200 200 200 200 200 200
toolkits:tick POST toolkit                               L 400 400 400 400 400 400 400
# The public directory as Open Referral CSV: for the leads who keep it.
partners:hsds_export                                     L 403 403 403 403 200 200 200
# Where a person says which organisations they belong to: their own.
organisations:yours                                      L 200 200 200 200 200 200 200
partners:coalition                                       L 403 403 403 403 200 200 200
# An organisation reviews its entry by the e-mailed link; anyone suggests a
# correction to a listed partner's (an unlisted one is not there).
partners:review partner_review                         200 200 200 200 200 200 200 200
partners:suggest listed_uuid                           200 200 200 200 200 200 200 200
partners:suggest@hidden unlisted_uuid                  404 404 404 404 404 404 404 404
coaching:mine                                            L 200 200 200 200 200 200 200
coaching:rollup                                          L 403 403 403 403 200 200 200
coaching:group group                                     L 200 404 200 404 404 404 404
coaching:log group                                       L 403 404 200 404 404 404 404
coaching:session coaching                                L 200 404 200 404 404 404 404
coaching:edit coaching                                   L 403 404 200 404 404 404 404
coaching:delete coaching                                 L 403 404 200 404 404 404 404
coaching:add_attachment POST coaching                    L 403 404 400 404 404 404 404
coaching:attachment attachment                           L 200 404 200 404 404 404 404
coaching:goal_review POST goal                           L 403 404 400 404 404 404 404
coaching:step_done POST step                             L 302 404 302 404 404 404 404
surveys:group group                                      L 200 404 200 404 404 404 404
surveys:group@youth youth_group                          L 200 404 200 404 404 404 404
surveys:attach POST group                                L 403 404 302 404 404 404 404
surveys:settings POST group                              L 403 404 302 404 404 404 404
surveys:detach POST survey_moment                        L 403 404 302 404 404 404 404
surveys:share POST survey_moment                         L 403 404 302 404 404 404 404
surveys:answer survey_moment                             L 200 404 404 404 404 404 404
surveys:answer_session check_in held_session             L 200 404 404 404 404 404 404
surveys:results survey_moment                            L 403 403 200 403 200 403 200
surveys:results@youth youth_survey_moment                L 403 403 200 403 200 403 200
surveys:results_csv survey_moment                        L 403 403 200 403 200 403 200
surveys:reflection held_session                          L 404 404 200 404 404 404 404
surveys:answer_by_link survey_link                     200 200 200 200 200 200 200 200
grantwriting:workshop group                              L 200 404 200 404 404 404 404
grantwriting:new_assignment group                        L 403 404 200 404 404 404 404
grantwriting:overview group                              L 403 403 200 403 200 403 200
grantwriting:assignment assignment                       L 200 404 200 404 404 404 404
grantwriting:edit_assignment assignment                  L 403 404 200 404 404 404 404
grantwriting:draft draft                                 L 200 404 200 404 404 404 404
grantwriting:draft@shared shared_draft                   L 200 404 200 404 404 404 404
grantwriting:version_file shared_draft version           L 200 404 200 404 404 404 404
discussions:group group                                  L 200 404 200 404 200 404 200
discussions:group@youth youth_group                      L 200 404 200 404 200 404 200
discussions:new_in_group group                           L 200 404 200 404 200 404 200
discussions:moderation_group group                       L 403 404 200 404 200 404 200
discussions:follow_group POST group                      L 302 404 302 404 302 404 302
discussions:people_group group                           L 200 404 200 404 200 404 200
discussions:program program_id                           L 200 404 200 404 200 404 200
# The participant is also a youth group's participant in program A: they read
# the program's space but never post there (no youth rule for names in it).
discussions:new_in_program program_id                    L 403 404 200 404 200 404 200
discussions:moderation_program program_id                L 403 404 403 404 200 404 200
discussions:follow_program POST program_id               L 302 404 302 404 302 404 302
discussions:people_program program_id                    L 403 404 200 404 200 404 200
discussions:thread thread                                L 200 404 200 404 200 404 200
discussions:thread@youth youth_thread                    L 200 404 200 404 200 404 200
discussions:attachment discussion_file                   L 200 404 200 404 200 404 200
discussions:reply POST thread                            L 400 404 400 404 400 404 400
discussions:pin POST thread                              L 403 404 302 404 302 404 302
discussions:lock POST thread                             L 403 404 302 404 302 404 302
discussions:move thread                                  L 403 404 200 404 200 404 200
discussions:move@youth youth_thread                      L 403 404 200 404 200 404 200
discussions:edit post                                    L 200 404 403 404 403 404 403
discussions:delete post                                  L 200 404 200 404 200 404 200
discussions:history post                                 L 403 404 200 404 200 404 200
discussions:answer POST post                             L 302 404 302 404 302 404 302
discussions:flag post                                    L 403 404 200 404 200 404 200
discussions:hide POST post                               L 403 404 302 404 302 404 302
discussions:follow POST thread                           L 302 404 302 404 302 404 302
discussions:react POST post                              L 302 404 302 404 302 404 302
wagtailcore_authenticate_with_password restricted      200 200 200 200 200 200 200 200
# Wagtail's own log-in page sends everyone, signed in or not, to the site's.
wagtailcore_login                                        L   L   L   L   L   L   L   L
/_util/login/                                            L   L   L   L   L   L   L   L
/favicon.ico                                           302 302 302 302 302 302 302 302
# Load balancers' health checks: JSON naming checks, nothing about anyone.
healthz                                                200 200 200 200 200 200 200 200
readyz                                                 200 200 200 200 200 200 200 200
# The brand's colours as CSS custom properties: public, like the site's stylesheet.
brand_stylesheet                                       200 200 200 200 200 200 200 200
# Development only: the component gallery answers only with DEBUG on.
patterns                                               404 404 404 404 404 404 404 404
page:content.HomePage                                  200 200 200 200 200 200 200 200
page:content.StandardPage                              200 200 200 200 200 200 200 200
page:content.ResourceIndexPage                         200 200 200 200 200 200 200 200
page:content.ResourcePage                              200 200 200 200 200 200 200 200
page:content.NewsIndexPage                             200 200 200 200 200 200 200 200
page:content.NewsPage                                  200 200 200 200 200 200 200 200
page:content.CourseIndexPage                           200 200 200 200 200 200 200 200
page:content.CoursePage                                200 200 200 200 200 200 200 200
page:content.ModulePage                                200 200 200 200 200 200 200 200
page:content.LessonPage                                200 200 200 200 200 200 200 200
page:cohorts.CohortPage                                200 200 200 200 200 200 200 200
page:cohorts.CatalogueIndexPage                        200 200 200 200 200 200 200 200
page:cohorts.LearningPathPage                          200 200 200 200 200 200 200 200
page:toolkits.ToolkitIndexPage                         200 200 200 200 200 200 200 200
page:toolkits.ToolkitPage                              200 200 200 200 200 200 200 200
page:example.ReadingListPage                           200 200 200 200 200 200 200 200
page:partners.PartnerDirectoryPage                     200 200 200 200 200 200 200 200
partners.PartnerDirectoryPage:partner listed           200 200 200 200 200 200 200 200
# An organisation that asked not to be listed: no page, for anyone.
partners.PartnerDirectoryPage:partner@hidden unlisted  404 404 404 404 404 404 404 404
page:cohorts.CohortPage@youth youth                    200 200 200 200 200 200 200 200
# A group's pages' old addresses, routes of its page: sent on to the ones above.
cohorts.CohortPage:members                             301 301 301 301 301 301 301 301
cohorts.CohortPage:announcements                       301 301 301 301 301 301 301 301
""")

# Patterns the matrix leaves out, and why.
EXCLUDED = {
    "admin/": "Wagtail's admin: its own permission system, tested by Wagtail "
    "and by tests/test_security.py",
}


# Building URLs from the world


def url_for(key: str, entry: Entry, world: dict) -> str:
    name = key.split("@")[0]
    values = []
    for arg in entry.args:
        value = world[arg]
        values.extend(value if isinstance(value, tuple) else [value])
    if name.startswith("/"):
        return name
    if name.startswith("page:"):
        return (values or [world[name]])[0].url
    page_type, _, route = name.partition(":")
    if page_type.count(".") == 1:  # a routable page's route, with its arguments
        page = world[f"page:{page_type}"]
        return page.url + page.reverse_subpage(route, args=values)
    return reverse(name, args=values)


def url_patterns(patterns=None, prefix="", namespace=""):
    """(key, route) of every URL pattern, routes joined from the root."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield (namespace + pattern.name if pattern.name else "/" + route), route


def page_keys():
    for model in get_page_models():
        if model._meta.label == "wagtailcore.Page":
            continue  # the tree's root: never served
        yield f"page:{model._meta.label}"
        if issubclass(model, RoutablePageMixin):
            for route in model.get_subpage_urls():
                if route.name != "index_route":  # the page itself, above
                    yield f"{model._meta.label}:{route.name}"


def expected_keys() -> dict[str, str]:
    """Every key MATRIX needs, with the route it stands for."""
    keys = dict.fromkeys(page_keys(), "a page type or route")
    for key, route in url_patterns():
        if key == "wagtail_serve":
            continue  # every page type has its own entry
        if not any(route.startswith(prefix) for prefix in EXCLUDED):
            keys[key] = route
    return keys


def test_every_url_has_an_entry():
    entries = {key.split("@")[0] for key in MATRIX}
    expected = expected_keys()
    missing = [f"{key} ({expected[key]})" for key in sorted(expected.keys() - entries)]
    assert missing == [], (
        f"No line in MATRIX (tests/test_access_matrix.py) for: {', '.join(missing)}. "
        "Add one line each: the URL's name, POST if GET answers 405, the names of "
        "the world's values its arguments come from (add them to the `world` "
        "fixture), then one status per role (anon par o-p fac o-f lea o-l sup)."
    )
    gone = sorted(entries - expected.keys())
    assert gone == [], f"MATRIX has lines for URLs that no longer exist: {gone}"


# The world


def lead_of(program: Program):
    """A program lead of `program`: in the staff group, and named among the
    program's leads (leads reach only the programs they lead)."""
    lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    program.leads.add(lead)
    return lead


def link_in_mail(view_name: str) -> str:
    """The path of the link to `view_name` in the last e-mail sent."""
    for url in re.findall(r"https?://testserver(/\S+)", mail.outbox[-1].body):
        if resolve(url).view_name == view_name:
            return url
    raise AssertionError(f"no link to {view_name} in the last e-mail")


def partner_slug(name: str, listed: bool) -> str:
    organisation = Organisation.objects.create(name=name)
    Partner.objects.create(organisation=organisation, listed=listed, notes=PARTNER_NOTE)
    return organisation.slug


def partner_links() -> dict:
    listed = Partner.objects.get(organisation__slug="eastside-parents")
    unlisted = Partner.objects.get(organisation__slug="quiet-neighbours")
    return {
        "partner_review": review_token(listed),
        "listed_uuid": listed.organisation.uuid,
        "unlisted_uuid": unlisted.organisation.uuid,
    }


@pytest.fixture
def world(home_page, client):
    """Program A: group A with everything in it and a youth group; program B:
    group B with its own people. Values by the names MATRIX uses."""
    ensure_role_groups()
    course = course_with_lessons(home_page, modules=1, lessons=1)

    def group_of(program):
        return CohortPageFactory(
            parent=home_page,
            program=program,
            course=course,
            plugins=["coaching", "grantwriting", "discussions", "surveys"],
            time_zone="UTC",
        )

    program_a = Program.objects.create(name="Program A", slug="program-a")
    program_b = Program.objects.create(name="Program B", slug="program-b")
    group_a, group_b = group_of(program_a), group_of(program_b)
    youth = CohortPageFactory(
        parent=home_page,
        program=program_a,
        is_youth=True,
        plugins=["discussions", "surveys"],
    )

    def member(group, role="participant", **user):
        return MembershipFactory(cohort=group, role=role, **user).user

    people = {
        "participant": member(group_a, user__first_name="Ana", user__email=CONTACT),
        "other_participant": member(group_b),
        "facilitator": member(group_a, "facilitator"),
        "other_facilitator": member(group_b, "facilitator"),
        "lead": lead_of(program_a),
        "other_lead": lead_of(program_b),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    participant, facilitator = people["participant"], people["facilitator"]
    member(youth, user__first_name="Marisol", user__last_name=YOUTH_NAME)
    MembershipFactory(cohort=youth, user=participant)
    MembershipFactory(cohort=youth, user=facilitator, role="facilitator")

    upcoming = SessionFactory(cohort=group_a, address=PLACE)
    held = SessionFactory(
        cohort=group_a, starts_at=timezone.now().replace(microsecond=0) - timedelta(7)
    )
    held.ends_at = held.starts_at + timedelta(hours=2)
    held.save()
    RSVP.objects.create(session=upcoming, user=participant, status="going")
    Attendance.objects.create(
        session=held, user=participant, status="present", recorded_by=facilitator
    )
    Announcement.objects.create(
        cohort=group_a, author=facilitator, subject="Bring a friend", body="Yes."
    )
    youth_member = member(youth, user__first_name="Rosa", user__last_name=YOUTH_NAME)
    for recipient, about, subject in (
        (participant, group_a, INBOX_NOTE),
        (participant, youth, "Snacks"),
        (facilitator, youth, "Snacks"),
    ):
        notify(
            [recipient],
            ANNOUNCEMENT.name,
            actor=youth_member if about == youth else facilitator,
            cohort=about,
            params={"subject": subject, "group": about.title},
        )
    thread = start_thread(
        Space(cohort=group_a),
        participant,
        "question",
        "Room?",
        "Hi",
    )
    youth_thread = start_thread(
        Space(cohort=youth),
        youth_member,
        "question",
        "Snacks?",
        "Hi",
    )
    coaching = CoachingSession.objects.create(
        cohort=group_a,
        coach=facilitator,
        coachee=participant,
        held_at=timezone.now() - timedelta(days=1),
        minutes=60,
        private_notes=PRIVATE_NOTE,
    )
    attachment = Attachment.objects.create(
        session=coaching, title="Minutes", shared=True, file=ContentFile(b"x", "m.txt")
    )
    assignment = Assignment.objects.create(
        cohort=group_a,
        session=upcoming,
        title="Need statement",
        due_at=timezone.now().replace(microsecond=0) + timedelta(days=5),
    )
    draft = submit_version(
        assignment, participant, text=PRIVATE_DRAFT, status=Draft.Status.DRAFT
    ).draft
    shared_draft = submit_version(
        assignment,
        member(group_a),
        text="Shared need statement",
        status=Draft.Status.FEEDBACK_REQUESTED,
        file=SimpleUploadedFile("need.txt", b"need"),
    ).draft
    certificate = Certificate.objects.create(
        user=participant,
        cohort=group_a,
        course=course,
        code=Certificate.new_code(),
        name=participant.get_full_name(),
        course_title=course.title,
        cohort_title=group_a.title,
    )
    survey_moment, youth_survey_moment, check_in = survey_world(
        group_a, youth, held, participant, youth_member
    )
    subscriber = Subscriber.objects.create(email="reader@example.org")
    client.post(
        reverse("cohorts:join_by_email", args=[group_a.pk]),
        {"name": "Newcomer", "email": "newcomer@example.org", "goal": ""},
    )
    catalogue = home_page.add_child(
        instance=CatalogueIndexPage(title="Find a group", slug="find-a-group")
    )
    toolkits = home_page.add_child(
        instance=ToolkitIndexPage(title="Toolkits", slug="toolkits")
    )
    resources = ResourceIndexPageFactory(parent=home_page)
    news = NewsIndexPageFactory(parent=home_page)
    pages = {
        "content.HomePage": home_page,
        "content.StandardPage": StandardPageFactory(parent=home_page),
        "content.ResourceIndexPage": resources,
        "content.ResourcePage": ResourcePageFactory(parent=resources),
        "content.NewsIndexPage": news,
        "content.NewsPage": NewsPageFactory(parent=news),
        "content.CourseIndexPage": CourseIndexPage.objects.get(),
        "content.CoursePage": course,
        "content.ModulePage": course.get_children().specific().get(),
        "content.LessonPage": LessonPage.objects.get(),
        "cohorts.CohortPage": group_a,
        "cohorts.CatalogueIndexPage": catalogue,
        "cohorts.LearningPathPage": make_path(catalogue, [course]),
        "toolkits.ToolkitIndexPage": toolkits,
        "toolkits.ToolkitPage": make_toolkit(toolkits, "Partnership agreements"),
        "example.ReadingListPage": PageFactory._create(
            ReadingListPage, parent=home_page, title="What we read", slug="reading"
        ),
        "partners.PartnerDirectoryPage": home_page.add_child(
            instance=PartnerDirectoryPage(title="Partners", slug="partners")
        ),
    }
    document = pages["content.ResourcePage"].document
    private_page = StandardPageFactory(parent=home_page, title="Board only")
    restriction = PageViewRestriction.objects.create(
        page=private_page, restriction_type="password", password="board-only"
    )
    document_restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node().add_child(name="Board papers"),
        restriction_type="password",
        password="board-only",
    )
    return {
        "people": people,
        "youth": youth,
        **{f"page:{label}": page for label, page in pages.items()},
        "group": group_a.pk,
        "youth_group": youth.pk,
        "session": upcoming.pk,
        "held_session": held.pk,
        "lesson": pages["content.LessonPage"].pk,
        "course": course.pk,
        "certificate": certificate.code,
        "program": program_a.slug,
        "program_id": program_a.pk,
        **logic_model_of(program_a),
        "listed": partner_slug("Eastside Parents", listed=True),
        "unlisted": partner_slug("Quiet Neighbours", listed=False),
        **partner_links(),
        "thread": thread.pk,
        "youth_thread": youth_thread.pk,
        "discussion_file": DiscussionFile.objects.create(
            post=thread.posts.get(),
            file=ContentFile(b"x", "plan.txt"),
            name="plan.txt",
            size=1,
        ).pk,
        "post": thread.posts.get().pk,
        "feed": feed_of(participant).split("/")[-1].removesuffix(".ics"),
        "join_token": link_in_mail("cohorts:confirm_join").split("/")[-2],
        "unsubscribe": unsubscribe_url("reminders", participant.pk, "en").split("/")[
            -2
        ],
        "answer": answer_token(upcoming, participant),
        "notification": Notification.objects.filter(recipient=participant)
        .earliest("pk")
        .pk,
        "api_token": create_token(participant, "CRM", "read", 30)[0].pk,
        "newsletter_confirm": make_token(subscriber.pk, CONFIRM_SALT),
        "newsletter_unsubscribe": make_token(subscriber.pk, UNSUBSCRIBE_SALT),
        "toolkit": pages["toolkits.ToolkitPage"].pk,
        "coaching": coaching.pk,
        "attachment": attachment.pk,
        "goal": Goal.objects.create(session=coaching, text="Send the letter").pk,
        "step": NextStep.objects.create(
            session=coaching, text="Call", due_on=timezone.localdate()
        ).pk,
        "assignment": assignment.pk,
        "draft": draft.pk,
        "shared_draft": shared_draft.pk,
        "version": 1,
        "document": document.pk,
        "document_file": document.filename,
        "restricted": (restriction.pk, private_page.pk),
        "restricted_docs": document_restriction.pk,
        "survey_moment": survey_moment.pk,
        "youth_survey_moment": youth_survey_moment.pk,
        "check_in": check_in.pk,
        "survey_link": survey_token(survey_moment, participant),
        "bogus_key": "MQ:bogus",
        "uidb36": "1",
    }


def survey_world(group, youth, held, participant, youth_member):
    """A named survey at the end of group A, answered by the participant; a
    check-in after each session there, not answered; the survey in the
    youth group, answered by a youth member."""
    survey = Survey.objects.create(
        title="How did it go?",
        slug="how-did-it-go",
        locale=Locale.objects.get(language_code="en"),
        questions=[{"type": "long_text", "value": {"text": "Anything else?"}}],
    )
    key = survey.questions[0].id
    moments = []
    for cohort, kind, person in (
        (group, "end", participant),
        (youth, "end", youth_member),
        (group, "after_session", None),
    ):
        moment = SurveyMoment.objects.create(
            cohort=cohort,
            survey=survey,
            kind=kind,
            attached_at=held.starts_at - timedelta(days=7),
        )
        if person is not None:
            response = SurveyResponse.objects.create(
                moment=moment, respondent=person, submitted_at=timezone.now()
            )
            submission = SurveySubmission.objects.create(
                moment=moment, response=response
            )
            SurveyAnswer.objects.create(
                submission=submission, question=key, text=SURVEY_ANSWER
            )
        moments.append(moment)
    return moments


def logic_model_of(program) -> dict:
    """An entered indicator of the program's logic model with a result whose
    evidence is a file."""
    indicator = indicator_of(program, name="Officials at the hearing", target=8)
    result = IndicatorResult.objects.create(
        indicator=indicator,
        value=9,
        note=RESULT_NOTE,
        file=ContentFile(b"x", "sign-in.pdf"),
    )
    return {
        "logic_model": indicator.logic_model_id,
        "indicator": indicator.pk,
        "result": result.pk,
    }


def log_in(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(world["people"][role])


def ask(client, world, role, key, entry):
    """The response to `entry` asked by `role` (logged in already), and its body,
    with nothing the request changed kept."""
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    with transaction.atomic():
        url = url_for(key, entry, world)
        response = client.post(url) if entry.method == POST else client.get(url)
        body = body_of(response)
        transaction.set_rollback(True)
    if entry.method == POST:
        cache.clear()  # nothing kept from a change that was rolled back
    if client.cookies.get(settings.SESSION_COOKIE_NAME) != session:
        log_in(client, world, role)  # the new session was rolled back
    return response, body


# Who may see what is decided in Python over the ORM, alike on either
# database: the PostgreSQL stage leaves the matrix (1,600 requests) to the
# SQLite stage, and its crawl asks for every kind of page as each role.
@pytest.mark.backend_independent
@pytest.mark.long_running
def test_access_matrix(client, world):
    """Every URL for every role: the status, and private strings where they may be."""
    problems = []
    for column, role in enumerate(ROLES):
        log_in(client, world, role)
        for key, entry in MATRIX.items():
            expected = entry.statuses[column]
            response, body = ask(client, world, role, key, entry)
            problem = status_problem(
                response, "login" if expected == LOGIN else int(expected)
            )
            for text, cells in MAY_SEE.items():
                if text in body and (role, key) not in cells:
                    problem = problem or f"shows {text!r}"
                elif text not in body and (role, key) in cells and not problem:
                    problem = f"no longer shows {text!r}: is the world still right?"
            # A download someone was let have is theirs: no cache keeps it.
            kept = response.get("Cache-Control")
            attachment = response.get("Content-Disposition", "")
            if attachment.startswith("attachment") and kept != "private, no-store":
                problem = problem or f"downloads with Cache-Control {kept!r}"
            if entry.method == POST and role == "superuser":
                got = client.get(url_for(key, entry, world)).status_code
                if got != 405:
                    problem = problem or f"GET answers {got}: ask it by GET"
            if problem:
                problems.append(f"{role} asking for {key}: {problem}")
    assert not problems, "\n".join(problems)
