"""The pure parts of `make bench-http` (bench/http/run.py): reading wrk's
output, the check of each page's answer, medians, ratios and the table. The
run itself takes minutes and is not part of `make test`."""

import pytest

from bench.http.run import (
    TARGET_NAMES,
    BenchError,
    Plan,
    Results,
    Target,
    check_answer,
    cpu_ms_per_request,
    format_cpu_table,
    format_table,
    median,
    ratio,
    requests_per_second,
    targets,
)

pytestmark = pytest.mark.backend_independent

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8123/bare/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    22.10ms    3.01ms  40.12ms   80.00%
    Req/Sec   181.20     12.34   200.00     70.00%
  906 requests in 5.00s, 12.34MB read
Requests/sec:    181.17
Transfer/sec:      2.47MB
"""


def test_the_rate_is_read_from_wrks_output():
    assert requests_per_second(WRK_OUTPUT, "/bare/") == 181.17


def test_answers_that_were_not_successes_stop_the_run():
    output = WRK_OUTPUT.replace(
        "Requests/sec:", "  Non-2xx or 3xx responses: 12\nRequests/sec:"
    )
    with pytest.raises(BenchError, match="/bare/: 12 answers were not 2xx"):
        requests_per_second(output, "/bare/")


def test_socket_errors_stop_the_run_but_timeouts_do_not():
    errors = "  Socket errors: connect 0, read 3, write 0, timeout 0\n"
    with pytest.raises(BenchError, match="socket errors"):
        requests_per_second(errors + WRK_OUTPUT, "/bare/")
    slow = "  Socket errors: connect 0, read 0, write 0, timeout 2\n"
    assert requests_per_second(slow + WRK_OUTPUT, "/bare/") == 181.17


def test_output_without_a_rate_stops_the_run():
    with pytest.raises(BenchError, match="no Requests/sec"):
        requests_per_second("unable to connect to 127.0.0.1:1", "/bare/")


def test_median_and_ratio():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert ratio(50.0, 200.0) == 0.25
    with pytest.raises(BenchError):
        median([])
    with pytest.raises(BenchError, match="reference measured nothing"):
        ratio(50.0, 0.0)


LESSON = Target("lesson", "/lesson/", ["Lesson 1", "Read this"], page_cache="hit")


@pytest.mark.parametrize(
    ("status", "headers", "body", "error"),
    [
        (500, {"X-Page-Cache": "hit"}, "Lesson 1 Read this", "answered 500, not 200"),
        (200, {"X-Page-Cache": "hit"}, "Lesson 1", "does not show 'Read this'"),
        (200, {"X-Page-Cache": "miss"}, "Lesson 1 Read this", "not served from the"),
        (200, {}, "Lesson 1 Read this", r"not served from the page cache \(None\)"),
    ],
)
def test_a_wrong_answer_stops_the_run_saying_what_was_wrong(
    status, headers, body, error
):
    with pytest.raises(BenchError, match=error):
        check_answer(LESSON, status, headers, body)


def test_the_expected_answer_passes():
    check_answer(LESSON, 200, {"x-page-cache": "hit"}, "<h1>Lesson 1</h1>Read this")
    uncached = Target("bare", "/bare/?bench", ["Bare"])
    check_answer(uncached, 200, {}, "Bare")
    with pytest.raises(BenchError, match=r"went through the page cache \(miss\)"):
        check_answer(uncached, 200, {"X-Page-Cache": "miss"}, "Bare")


def results(scale: float) -> Results:
    rates = {
        "bare": 100,
        "lesson_cached": 400,
        "lesson_uncached": 80,
        "catalogue_cached": 300,
        "catalogue": 40,
        "catalogue_searched": 30,
        "api_groups": 70,
        "dashboard_small": 50,
        "dashboard_large": 40,
        "my_learning_on": 90,
        "my_learning_off": 100,
        "calendar": 300,
        "thread": 60,
    }
    return Results(
        # Three rounds: the median is the middle one, not the mean.
        rates={
            name: [rate * scale, rate * scale * 1.5, 0.0]
            for name, rate in rates.items()
        },
        memory={"on": 230 * 2**20, "off": 200 * 2**20},
        # The server's milliseconds per request: the rate's inverse, times 2.
        cpu={name: [2000 / (rate * scale), 1.0, 99.0] for name, rate in rates.items()},
    )


def test_the_table_has_a_row_per_page_and_a_column_per_backend():
    table = format_table({"SQLite": results(1.0), "PostgreSQL + Redis": results(2.0)})
    assert table.splitlines() == [
        "| page | SQLite | PostgreSQL + Redis |",
        "|---|---|---|",
        "| bare StandardPage (the reference) | 100 req/s | 200 req/s |",
        "| public lesson, page cache | 4.00x (400 req/s) | 4.00x (800 req/s) |",
        "| public lesson, uncached | 0.80x (80 req/s) | 0.80x (160 req/s) |",
        "| catalogue, 2 filters, 1,000 groups, page cache | 3.00x (300 req/s)"
        " | 3.00x (600 req/s) |",
        "| catalogue, 3 filters, 1,000 groups, kept listing (not the page cache)"
        " | 0.40x (40 req/s) | 0.40x (80 req/s) |",
        "| catalogue, 3 filters and typed text, 1,000 groups, listed afresh"
        " | 0.30x (30 req/s) | 0.30x (60 req/s) |",
        "| API list of groups, 3 filters, 1,000 groups (JSON, 20 a page)"
        " | 0.70x (70 req/s) | 0.70x (140 req/s) |",
        "| facilitator dashboard, 10 members | 0.50x (50 req/s) | 0.50x (100 req/s) |",
        "| facilitator dashboard, 10,000 members"
        " | 0.40x (40 req/s), 1.25x the 10-member time"
        " | 0.40x (80 req/s), 1.25x the 10-member time |",
        "| My learning, first-party plugins on vs off | 0.90x (90 / 100 req/s)"
        " | 0.90x (180 / 200 req/s) |",
        "| personal calendar feed, 200 events | 3.00x (300 req/s)"
        " | 3.00x (600 req/s) |",
        "| discussion thread, 1,000 replies (first page) | 0.60x (60 req/s)"
        " | 0.60x (120 req/s) |",
        "| worker memory, plugins on vs off | 1.15x (230 / 200 MiB)"
        " | 1.15x (230 / 200 MiB) |",
    ]


def test_the_server_s_cpu_time_per_request_comes_from_wrk_s_count():
    assert cpu_ms_per_request(WRK_OUTPUT, 9.06) == pytest.approx(10.0)
    with pytest.raises(BenchError, match="No requests counted"):
        cpu_ms_per_request("unable to connect to 127.0.0.1:1", 1.0)
    with pytest.raises(BenchError, match="No requests counted"):
        cpu_ms_per_request(WRK_OUTPUT.replace("906 requests", "0 requests"), 1.0)


def test_the_cpu_table_gives_each_page_s_milliseconds_and_the_bare_page_s_ratio():
    table = format_cpu_table(
        {"SQLite": results(1.0), "PostgreSQL + Redis": results(2.0)}
    )
    lines = table.splitlines()
    assert lines[0] == "| CPU per request | SQLite | PostgreSQL + Redis |"
    assert (
        lines[2]
        == "| bare StandardPage (the reference) | 20.0 ms (1.00x) | 10.0 ms (1.00x) |"
    )
    assert (
        "| facilitator dashboard, 10 members | 40.0 ms (0.50x) | 20.0 ms (0.50x) |"
        in lines
    )
    assert len(lines) == 2 + 9


def test_pages_left_out_with_only_leave_out_their_rows():
    only = {"bare", "my_learning_on", "my_learning_off"}
    measured = results(1.0)
    measured.rates = {k: v for k, v in measured.rates.items() if k in only}
    measured.cpu = {k: v for k, v in measured.cpu.items() if k in only}
    rows = [
        line.split(" | ")[0] for line in format_table({"SQLite": measured}).splitlines()
    ]
    assert rows[2:] == [
        "| bare StandardPage (the reference)",
        "| My learning, first-party plugins on vs off",
        "| worker memory, plugins on vs off",
    ]
    cpu_rows = format_cpu_table({"SQLite": measured}).splitlines()[2:]
    assert [row.split(" | ")[0] for row in cpu_rows] == [
        "| bare StandardPage (the reference)",
        "| My learning, plugins on",
        "| My learning, plugins off",
    ]


def test_only_chooses_pages_by_the_names_the_run_measures_and_keeps_the_bare_one():
    data = {
        "pages": {
            name: {"url": f"/{name}/", "marker": name}
            for name in ("bare", "lesson", "catalogue_kept", "catalogue",
                         "catalogue_searched", "api_groups", "dashboard_small",
                         "dashboard_large",
                         "my_learning_on", "my_learning_off", "calendar", "thread")
        },
        "cookie_name": "sessionid",
        "sessions": {"facilitator": "f", "learner": "l"},
    }  # fmt: skip
    found = targets(data)
    assert [target.name for target in found] == TARGET_NAMES
    chosen = Plan(only=frozenset({"my_learning_on"})).chosen(found)
    assert [target.name for target in chosen] == ["bare", "my_learning_on"]
    assert Plan().chosen(found) == found
