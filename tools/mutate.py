"""Mutation testing of the high-risk modules (`make mutate`; issue #27).

Each module is mutated by cosmic-ray and, for each mutant, only the tests that
cover that module run, and of those only the ones that call the mutated
function (tools/mutant_tests.py); a mutant the tests still pass is a
survivor: a bug those tests would let through. Prints a table of killed and
surviving mutants per module, then each survivor as a diff. The last results,
and why each remaining survivor is left, are in docs/testing.md.

    .venv/bin/python tools/mutate.py                    # every module below
    .venv/bin/python tools/mutate.py lms/delivery.py    # some of them

cosmic-ray mutates the file in place and puts it back after each mutant; the
run refuses to start on a module with uncommitted changes, and checks at the
end that each module is as it was. Sessions are kept in .mutate/ (a module
run again starts afresh). Tests run on SQLite unless DATABASE_URL says
otherwise; removing a row lock is not one of cosmic-ray's mutations (the
concurrency tests guard those, on PostgreSQL).
"""

import re
import subprocess
import sys
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutate"
BIN = Path(sys.executable).parent
BETWEEN = "tests/test_in_between_states.py::test_"

# Each module and the tests that cover it; each mutant runs those of them that
# called the mutated function in the baseline run (tools/mutant_tests.py).
MODULES = {
    # Seats and joining
    "scheduling/rsvp.py": [
        "tests/test_rsvp.py",
        BETWEEN + "only_going_reveals_the_place_on_the_page_and_in_the_feed",
        BETWEEN + "members_not_current_are_refused_member_pages_answers_and_plugins",
        BETWEEN + "other_answers_to_a_full_session_are_kept_not_waitlisted",
        BETWEEN + "seats_lowered_below_those_going_promote_nobody_when_one_leaves",
    ],
    "cohorts/membership.py": [
        "tests/test_leaving.py",
        "tests/test_join_by_email.py",
        BETWEEN + "twenty_people_joining_at_once_get_exactly_the_places",
        BETWEEN + "a_waitlisted_join_announces_no_member_joined",
    ],
    "cohorts/joining.py": ["tests/test_join_by_email.py"],
    # Permissions and access
    "cohorts/permissions.py": [
        "tests/test_cohort_space.py",
        "tests/test_access_matrix.py",
        "tests/test_program_leads.py",
        BETWEEN + "only_going_reveals_the_place_on_the_page_and_in_the_feed",
        BETWEEN + "members_not_current_are_refused_member_pages_answers_and_plugins",
        BETWEEN + "members_who_completed_keep_the_member_pages_answers_and_plugins",
        "tests/test_sdk.py",
        # privacy_refuses_sessionless is the personal feed's
        "tests/test_calendar.py::test_the_feed_leaves_out_groups_whose_page_privacy_refuses_its_owner",
        "tests/test_calendar.py::test_an_alias_of_a_group_made_private_is_left_out_of_the_feed",
        "tests/test_calendar.py::test_plugin_items_of_groups_the_owner_may_not_see_leave_the_feed",
        "tests/test_security.py::test_viewable_groups_are_those_whose_pages_admit_the_person",
        # admitted_by_privacy is the reminders' (core's and plugins')
        "tests/test_reminders.py::test_only_people_the_groups_page_admits_are_reminded",
        "tests/test_coaching.py::test_follow_up_reminders_reach_only_those_the_group_page_admits",
        "tests/test_grantwriting.py::test_deadline_reminders_reach_only_those_the_workshop_page_admits",
    ],
    "scheduling/permissions.py": [
        "tests/test_rsvp.py",
        BETWEEN + "only_going_reveals_the_place_on_the_page_and_in_the_feed",
    ],
    "cohorts/privacy.py": ["tests/test_people.py"],
    "plugins/coaching/lms_coaching/access.py": ["tests/test_coaching.py"],
    "plugins/grantwriting/lms_grantwriting/access.py": ["tests/test_grantwriting.py"],
    # Calendar and scheduling
    "scheduling/recurrence.py": [
        "tests/test_scheduling.py",
        BETWEEN + "an_end_between_meetings_in_utc_on_the_next_day_stops_before_it",
        BETWEEN
        + "an_end_in_utc_on_the_previous_day_east_of_greenwich_includes_the_meeting",
    ],
    "calendars/ics.py": [
        "tests/test_calendar.py",
        BETWEEN + "only_going_reveals_the_place_on_the_page_and_in_the_feed",
    ],
    # Plugin loading and isolation, send-once, early warnings, erasure
    "lms/plugins.py": [
        "tests/test_plugins.py",
        BETWEEN + "a_plugin_raising_runtime_error_at_import_is_disabled_not_fatal",
    ],
    "lms/delivery.py": [
        "tests/test_reminders.py",
        BETWEEN + "a_send_that_fails_is_sent_by_the_retry",
    ],
    "insights/dashboard.py": [
        "tests/test_facilitator_dashboard.py",
        BETWEEN + "someone_who_joined_last_week_is_not_flagged_as_gone_quiet",
    ],
    "lms/personal_data.py": ["tests/test_your_data.py"],
}

# The mutations that make plausible bugs; cosmic-ray's others (every binary
# operator into every other, variable swaps) multiply the run time by ten and
# mostly make code that cannot run at all.
KEPT_OPERATORS = (
    r"core/ReplaceComparisonOperator_(Eq_NotEq|NotEq_Eq|Lt_LtE|LtE_Lt|Gt_GtE|"
    r"GtE_Gt|Lt_Gt|Gt_Lt|LtE_GtE|GtE_LtE|In_NotIn|NotIn_In|Is_IsNot|IsNot_Is)$",
    r"core/ReplaceBinaryOperator_(Add_Sub|Sub_Add|Mul_Div|Div_Mul)$",
    r"core/ReplaceUnaryOperator_(Delete_Not|USub_UAdd)$",
    r"core/(AddNot|ReplaceTrueWithFalse|ReplaceFalseWithTrue|ReplaceAndWithOr|"
    r"ReplaceOrWithAnd|ReplaceBreakWithContinue|ExceptionReplacer|NumberReplacer|"
    r"ZeroIterationForLoop|RemoveDecorator)$",
)
# Each mutant's tests get this long (an endless loop stops there); a mutant
# that runs out of it is counted as an error, not a kill (tally()).
TIMEOUT_SECONDS = 300
# What cosmic-ray records as the output of a test run it stopped at the timeout.
TIMED_OUT = "timeout"


def excluded_operators() -> list[str]:
    """cosmic-ray filters by exclusion: every operator not kept, by name."""
    listed = subprocess.run(  # noqa: S603 (the venv's own cosmic-ray)
        [BIN / "cosmic-ray", "operators"], capture_output=True, text=True, check=True
    ).stdout.split()
    kept = "|".join(f"(?:{pattern})" for pattern in KEPT_OPERATORS)
    return [f"{name}$" for name in listed if not re.match(kept, name)]


def config_for(module: str, tests: list[str], excluded: list[str]) -> Path:
    # Each mutant runs only the tests that call the mutated function.
    test_command = " ".join(
        [str(BIN / "python"), str(ROOT / "tools" / "mutant_tests.py"), module, *tests]
    )
    path = WORK / (module.replace("/", "-") + ".toml")
    quoted = ",\n    ".join(f'"{name}"' for name in excluded)
    path.write_text(
        f"""[cosmic-ray]
module-path = "{module}"
timeout = {TIMEOUT_SECONDS}
excluded-modules = []
test-command = "{test_command}"

[cosmic-ray.distributor]
name = "local"

[cosmic-ray.filters.operators-filter]
exclude-operators = [
    {quoted}
]
"""
    )
    return path


def run(*command) -> None:
    # The venv's own cosmic-ray tools, on this project's files.
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True)  # noqa: S603


def changed(module: str) -> bool:
    return bool(
        subprocess.run(  # noqa: S603
            ["git", "status", "--porcelain", "--", module],  # noqa: S607 (git from PATH)
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )


def mutate(module: str, tests: list[str], excluded: list[str]) -> Path:
    config = config_for(module, tests, excluded)
    session = config.with_suffix(".sqlite")
    session.unlink(missing_ok=True)
    run(BIN / "cosmic-ray", "init", config, session)
    run(BIN / "cr-filter-operators", session, config)
    run(BIN / "cr-filter-pragma", session)
    # A failing baseline would count every mutant as killed.
    run(BIN / "cosmic-ray", "baseline", config)
    run(BIN / "cosmic-ray", "exec", config, session)
    return session


def tally(session: Path) -> tuple[int, int, int, list[str]]:
    """(killed, survived, errors, diffs of the survivors) of a session; a
    mutant whose test run could not start is an error, not a kill, and so is
    one whose tests ran out of time (cosmic-ray counts a timeout as killed):
    on a loaded machine a slow run is not an endless loop. Its diff is listed
    with the survivors, to be re-run alone."""
    killed = survived = errors = 0
    survivors = []
    with use_db(str(session), WorkDB.Mode.open) as db:
        items = {item.job_id: item for item in db.work_items}
        for job_id, result in db.results:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue  # an operator left out, or a "pragma: no mutate" line
            mutation = items[job_id].mutations[0]
            where = f"{mutation.module_path}:{mutation.start_pos[0]}"
            if (
                result.worker_outcome != WorkerOutcome.NORMAL
                or result.test_outcome == TestOutcome.INCOMPETENT
            ):
                errors += 1
            elif result.output == TIMED_OUT:
                errors += 1
                survivors.append(
                    f"{where} {mutation.operator_name} (timed out: re-run it alone)"
                    f"\n{result.diff}"
                )
            elif result.test_outcome == TestOutcome.SURVIVED:
                survived += 1
                survivors.append(f"{where} {mutation.operator_name}\n{result.diff}")
            else:
                killed += 1
    return killed, survived, errors, survivors


def main(chosen: list[str]) -> int:
    unknown = [module for module in chosen if module not in MODULES]
    if unknown:
        print(f"Not a high-risk module here: {', '.join(unknown)}", file=sys.stderr)
        print(f"Choose among: {', '.join(MODULES)}", file=sys.stderr)
        return 2
    modules = chosen or list(MODULES)
    dirty = [module for module in modules if changed(module)]
    if dirty:
        print(f"Commit these first (mutated in place): {', '.join(dirty)}")
        return 2
    WORK.mkdir(exist_ok=True)
    excluded = excluded_operators()
    rows, all_survivors = [], []
    for module in modules:
        killed, survived, errors, survivors = tally(
            mutate(module, MODULES[module], excluded)
        )
        if changed(module):
            print(f"{module} was left mutated: git checkout -- {module}")
            return 1
        rows.append((module, killed, survived, errors))
        all_survivors += survivors
    print(f"\n{'module':<50} {'killed':>7} {'survived':>9} {'errors':>7} {'%':>5}")
    for module, killed, survived, errors in rows:
        rate = 100 * survived / max(killed + survived, 1)
        print(f"{module:<50} {killed:>7} {survived:>9} {errors:>7} {rate:>4.0f}%")
    killed = sum(row[1] for row in rows)
    survived = sum(row[2] for row in rows)
    rate = 100 * survived / max(killed + survived, 1)
    errors = sum(row[3] for row in rows)
    print(f"{'total':<50} {killed:>7} {survived:>9} {errors:>7} {rate:>4.0f}%")
    if all_survivors:
        print("\nSurvivors:")
        print("\n".join(all_survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
