"""Benchmarks run with pytest (`make bench`) to reuse the test database setup.

They print ratios against a bare Wagtail page measured in the same run; they
assert nothing about time, because timings vary between machines.
"""

import time
from collections.abc import Callable

pytest_plugins = ["lms.testing", "tests.conftest"]


def mean_time(action: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        action()
    return (time.perf_counter() - start) / number


def best_of(action: Callable[[], object], rounds: int = 5, number: int = 40) -> float:
    """The fastest mean time per call over several rounds, in seconds."""
    action()  # warm caches and template loaders
    return min(mean_time(action, number) for _ in range(rounds))


def best_of_interleaved(
    variants: dict[str, tuple[Callable[[], object], Callable[[], object]]],
    rounds: int = 15,
    number: int = 20,
) -> dict[str, float]:
    """Like best_of for several (set up, action) variants, taking turns.

    Alternating the variants round by round spreads background load on a
    shared machine evenly over them, so their ratio is steadier than that of
    timings taken one after the other.
    """
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(rounds):
        for name, (set_up, action) in variants.items():
            set_up()
            action()
            best[name] = min(best[name], mean_time(action, number))
    return best
