"""Benchmarks run with pytest (`make bench-views`) to reuse the test database setup.

They print ratios against a bare Wagtail page measured in the same run; they
assert nothing about time, because timings vary between machines.
"""

import gc
import time
from collections.abc import Callable

pytest_plugins = ["sdk.testing", "tests.conftest"]


def mean_time(action: Callable[[], object], number: int) -> float:
    """Seconds per call, with the garbage collector held off as timeit does:
    a collection falls on whichever call happens to cross its threshold."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            action()
        return (time.perf_counter() - start) / number
    finally:
        gc.enable()


def best_of_interleaved(
    variants: dict[str, tuple[Callable[[], object], Callable[[], object]]],
    rounds: int = 60,
    number: int = 5,
) -> dict[str, float]:
    """The fastest mean time per call of each (set up, action) variant over
    many short rounds, taking turns.

    Alternating the variants round by round spreads background load on a
    shared machine evenly over them, and many short rounds give each variant
    more chances of a round that no burst of load fell on, so their ratio is
    steadier than that of timings taken one after the other.
    """
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(rounds):
        for name, (set_up, action) in variants.items():
            set_up()
            action()  # warm caches and template loaders
            best[name] = min(best[name], mean_time(action, number))
    return best


def timing_line(
    label: str,
    seconds: float,
    reference: float,
    width: int,
    against: str = "the bare page's speed",
) -> str:
    """A printed row: the time per call, and its speed as a multiple of the
    reference's."""
    return (
        f"  {label:<{width}}{seconds * 1000:7.2f} ms"
        f"  ({reference / seconds:.2f}x {against})\n"
    )
