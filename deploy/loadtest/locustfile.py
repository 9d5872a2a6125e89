"""The simulated people of `make loadtest` (deploy/loadtest/driver.py runs it).

Visitors browse the catalogue (with filters), groups and lessons;
participants open My learning, answer RSVPs and mark lessons done;
calendar apps poll personal feeds; facilitators take attendance. Signed-in
people come from the generated ones (deploy/loadtest/database.py signed each
in); every form is first fetched, as a browser would, for its CSRF token.

Every write answered with success, and every server error, is appended to
LOADTEST_WRITES for the driver to compare with the database afterwards; the
final statistics go to LOADTEST_STATS once every request has ended (locust's
own CSV files are snapshots taken each second, so they miss the last one).
"""

import json
import os
import random
import re

from locust import HttpUser, between, events, task
from locust.clients import LocustHttpAdapter
from locust.exception import StopUser
from urllib3.util.retry import Retry

PEOPLE = json.loads(open(os.environ["LOADTEST_PEOPLE"], encoding="utf-8").read())  # noqa: SIM115
WRITES = open(os.environ["LOADTEST_WRITES"], "a", encoding="utf-8")  # noqa: SIM115
# Each signed-in simulated person is a different generated person.
PARTICIPANTS = random.sample(PEOPLE["participants"], len(PEOPLE["participants"]))
FACILITATORS = random.sample(PEOPLE["facilitators"], len(PEOPLE["facilitators"]))
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MEMBER_FIELD = re.compile(r'name="member-(\d+)"')
CATALOGUE_FILTERS = [
    "?kind=circle",
    "?format=online",
    "?place=Riverside",
    "?q=circle",
    "?kind=training&format=in_person",
    "?day=3",
    "?language=es",
    "?page=2",
]
# A browser sends a GET again, once, when the server closed the kept-alive
# connection just as the request went out (gunicorn closes idle ones after
# WEB_KEEPALIVE seconds); a form sent (POST) is never sent twice.
BROWSER_RETRY = Retry(
    total=1, connect=1, read=1, status=0, other=0, allowed_methods={"GET"}
)
RSVP_ANSWERS = ["going"] * 6 + ["maybe"] * 2 + ["declined"] * 3
ATTENDANCE = ["present", "late", "absent"]


# The locust environment, for the statistics at the end.
RUN = {}


@events.init.add_listener
def remember_environment(environment, **kwargs):
    RUN["environment"] = environment


def page_row(entry) -> dict[str, str]:
    """One page's numbers, with the columns of locust's own CSV file."""
    return {
        "Type": entry.method or "",
        "Name": entry.name,
        "Request Count": str(entry.num_requests),
        "Requests/s": str(entry.total_rps),
        "50%": str(entry.get_response_time_percentile(0.5) or 0),
        "95%": str(entry.get_response_time_percentile(0.95) or 0),
        "Failure Count": str(entry.num_failures),
    }


@events.quit.add_listener
def write_final_stats(**kwargs):
    stats = RUN["environment"].runner.stats
    final = {
        "pages": [page_row(entry) for entry in stats.entries.values()]
        + [page_row(stats.total)],
        "errors": [
            {
                "Method": error.method,
                "Name": error.name,
                "Error": str(error.error),
                "Occurrences": str(error.occurrences),
            }
            for error in stats.errors.values()
        ],
    }
    with open(os.environ["LOADTEST_STATS"], "w", encoding="utf-8") as output:
        json.dump(final, output)


def record(**event) -> None:
    WRITES.write(json.dumps(event) + "\n")
    WRITES.flush()


class Visitor(HttpUser):
    abstract = True

    def on_start(self):
        self.client.mount("http://", LocustHttpAdapter(None, max_retries=BROWSER_RETRY))

    def fetch(self, method: str, url: str, name: str, expect=(200,), **kwargs):
        """The response when its status is `expect`ed, else None (a failure)."""
        with self.client.request(
            method,
            url,
            name=name,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            if response.status_code >= 500:
                record(kind="server_error", name=name, status=response.status_code)
            if response.status_code in expect:
                response.success()
                return response
            # Status 0: no answer at all; the error says why.
            response.failure(f"status {response.status_code} {response.error or ''}")
            return None

    def post_form(self, page: str, page_name: str, url: str, name: str, data: dict):
        """GET the page with the form, then POST it with the page's token."""
        response = self.fetch("GET", page, page_name)
        token = response and CSRF_FIELD.search(response.text)
        if token is None:
            return None
        return self.fetch(
            "POST",
            url,
            name,
            expect=(302,),
            data={"csrfmiddlewaretoken": token.group(1), **data},
        )


class Browsing(Visitor):
    """Someone not signed in, looking for a group or reading a lesson."""

    weight = 8
    wait_time = between(1, 5)

    @task(3)
    def catalogue(self):
        self.fetch("GET", PEOPLE["catalogue"], "catalogue")

    @task(3)
    def catalogue_filtered(self):
        self.fetch(
            "GET",
            PEOPLE["catalogue"] + random.choice(CATALOGUE_FILTERS),
            "catalogue (filtered)",
        )

    @task(2)
    def group(self):
        self.fetch("GET", random.choice(PEOPLE["groups"])["url"], "group page")

    @task(2)
    def lesson(self):
        self.fetch("GET", random.choice(PEOPLE["lesson_pages"]), "lesson (library)")

    @task(1)
    def home(self):
        self.fetch("GET", "/", "home")


class SignedIn(Visitor):
    abstract = True
    pool: list = []

    def on_start(self):
        super().on_start()
        if not self.pool:
            raise StopUser  # more simulated people than generated ones
        self.person = self.pool.pop()
        self.client.cookies.set("sessionid", self.person["cookie"])


class Participant(SignedIn):
    weight = 6
    wait_time = between(2, 6)
    pool = PARTICIPANTS

    def group(self) -> dict:
        return PEOPLE["groups"][random.choice(self.person["groups"])]

    @task(3)
    def my_learning(self):
        self.fetch("GET", "/dashboard/", "My learning")

    @task(3)
    def rsvp(self):
        group = self.group()
        session = random.choice(group["coming_sessions"])
        answer = random.choice(RSVP_ANSWERS)
        posted = self.post_form(
            group["url"],
            "group page (member)",
            f"/cohorts/sessions/{session}/rsvp/",
            "RSVP",
            {"answer": answer},
        )
        if posted is not None:
            record(kind="rsvp", session=session, user=self.person["id"], answer=answer)

    @task(3)
    def lesson_done(self):
        group = self.group()
        lesson = random.choice(PEOPLE["lessons"])
        url = f"/cohorts/{group['id']}/course/{lesson}/"
        posted = self.post_form(
            url, "lesson (group)", url, "lesson done", {"complete": "1"}
        )
        if posted is not None:
            record(
                kind="completion",
                user=self.person["id"],
                cohort=group["id"],
                lesson=lesson,
            )

    @task(1)
    def course(self):
        self.fetch("GET", f"/cohorts/{self.group()['id']}/course/", "course (group)")


class CalendarApp(Visitor):
    """A phone's calendar polling a participant's personal feed."""

    weight = 4
    wait_time = between(10, 30)

    def on_start(self):
        super().on_start()
        self.feed = random.choice(PEOPLE["participants"])["feed"]

    @task
    def poll(self):
        self.fetch("GET", self.feed, "calendar feed")


class Facilitator(SignedIn):
    weight = 2
    wait_time = between(3, 8)
    pool = FACILITATORS

    @task
    def take_attendance(self):
        group = PEOPLE["groups"][self.person["group"]]
        session = random.choice(group["held_sessions"])
        url = f"/cohorts/sessions/{session}/attendance/"
        response = self.fetch("GET", url, "attendance")
        token = response and CSRF_FIELD.search(response.text)
        if token is None:
            return
        marks = {
            int(member): random.choice(ATTENDANCE)
            for member in MEMBER_FIELD.findall(response.text)
        }
        posted = self.fetch(
            "POST",
            url,
            "attendance save",
            expect=(302,),
            data={
                "csrfmiddlewaretoken": token.group(1),
                **{f"member-{member}": mark for member, mark in marks.items()},
            },
        )
        if posted is not None:
            for member, mark in marks.items():
                record(kind="attendance", session=session, user=member, status=mark)
