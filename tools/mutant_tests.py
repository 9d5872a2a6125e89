"""The test command cosmic-ray runs for each mutant of one module (tools/mutate.py).

    python tools/mutant_tests.py MODULE TEST...

With MODULE unchanged (cosmic-ray's baseline) it runs every TEST and records
which tests call each function of MODULE. With MODULE mutated in place it runs
only the tests that called the function holding the changed lines, quickest
first: no other test can run the mutated code, so running them would only cost
time (a mutant used to cost a whole test file, minutes on this machine). A
change outside every function (a constant, an import, a class attribute) runs
every TEST. A mutant in a function no test calls survives without a run.
"""

import ast
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutate"
PYTEST_OPTIONS = [
    "-x",
    "-q",
    "-n",
    "0",
    "-p",
    "no:randomly",
    "-p",
    "no:cacheprovider",
    "--reuse-db",
]
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? ")


def calls_path(module: str) -> Path:
    return WORK / (module.replace("/", "-") + ".calls.json")


def changed_lines(module: str) -> set[int]:
    """Lines of the committed MODULE that its working copy changes."""
    diff = subprocess.run(  # noqa: S603
        ["git", "diff", "-U0", "--", module],  # noqa: S607 (git from PATH)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = set()
    for match in map(HUNK.match, diff.splitlines()):
        if match:
            start, count = int(match[1]), int(match[2] or 1)
            lines.update(range(start, start + max(count, 1)))
    return lines


class CallRecorder:
    """A pytest plugin: the first lines of the functions of one file that each
    test calls (its fixtures' set-up included), and each test's duration."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.current: set[int] | None = None
        self.calls: dict[str, list[int]] = {}
        self.seconds: dict[str, float] = {}

    def trace(self, frame, event, arg):
        # Only "call" events reach a global trace function; returning None
        # leaves the frame untraced, so this costs little.
        code = frame.f_code
        if (
            self.current is not None
            and code.co_filename == self.filename
            and code.co_name != "<module>"
        ):
            self.current.add(code.co_firstlineno)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.current = set()
        started = time.monotonic()
        sys.settrace(self.trace)
        threading.settrace(self.trace)
        yield
        sys.settrace(None)
        threading.settrace(None)
        self.seconds[item.nodeid] = time.monotonic() - started
        self.calls[item.nodeid] = sorted(self.current)
        self.current = None


def committed(module: str) -> str:
    """MODULE as committed: the baseline ran it, and `git diff` numbers the
    changed lines in it."""
    return subprocess.run(  # noqa: S603
        ["git", "show", f"HEAD:{module}"],  # noqa: S607 (git from PATH)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def function_starts(module: str, lines: set[int]) -> set[int] | None:
    """The first lines (decorator or def) of the functions of the committed
    MODULE holding any of LINES, or None when a line lies outside every
    function. Not the mutated copy: where a mutant removes lines (a decorator
    and the blank lines above it), its numbers no longer match the baseline's
    and the function would seem called by no test."""
    tree = ast.parse(committed(module))
    functions = [
        (node.lineno, [d.lineno for d in getattr(node, "decorator_list", [])], node)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
    ]
    starts: set[int] = set()
    for line in lines:
        holding = [
            (first, decorators)
            for first, decorators, node in functions
            if min([first, *decorators]) <= line <= node.end_lineno
        ]
        if not holding:
            return None
        for first, decorators in holding:
            starts.update([first, *decorators])
    return starts


def main(module: str, tests: list[str]) -> int:
    lines = changed_lines(module)
    if not lines:
        recorder = CallRecorder(str(ROOT / module))
        code = pytest.main([*PYTEST_OPTIONS, *tests], plugins=[recorder])
        WORK.mkdir(exist_ok=True)
        calls_path(module).write_text(
            json.dumps({"calls": recorder.calls, "seconds": recorder.seconds})
        )
        return int(code)
    starts = function_starts(module, lines)
    if starts is None:
        return int(pytest.main([*PYTEST_OPTIONS, *tests]))
    recorded = json.loads(calls_path(module).read_text())
    chosen = sorted(
        (test for test, firsts in recorded["calls"].items() if starts & set(firsts)),
        key=lambda test: recorded["seconds"][test],
    )
    if not chosen:
        print(f"No test calls the function at {module}:{min(lines)}: survived.")
        return 0
    return int(pytest.main([*PYTEST_OPTIONS, *chosen]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
