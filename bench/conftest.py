"""Benchmarks run with pytest (`make bench`) to reuse the test database setup.

They print ratios against a bare Wagtail page measured in the same run; they
assert nothing about time, because timings vary between machines.
"""

import time
from collections.abc import Callable

pytest_plugins = ["lms.testing", "tests.conftest"]


def best_of(action: Callable[[], object], rounds: int = 5, number: int = 40) -> float:
    """The fastest mean time per call over several rounds, in seconds."""
    action()  # warm caches and template loaders
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            action()
        timings.append((time.perf_counter() - start) / number)
    return min(timings)
