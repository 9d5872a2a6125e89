import pytest

from tests.helpers import run_python


@pytest.mark.long_running
def test_a_test_after_a_serialized_rollback_finds_the_database_whole():
    """The flaky run's 48 errors, made deterministic: after a test with
    serialized_rollback, the next test found empty tables and a ContentType
    cache naming deleted rows (tests/database_setup.py FlushedDatabase)."""
    inner = run_python(
        "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA",
        "-o", "python_files=after_a_flush.py", "tests/after_a_flush.py",
        # A test database of its own, never this run's.
        env={"TOX_PARALLEL_ENV": "after_a_flush"},
    )  # fmt: skip
    assert inner.returncode == 0, inner.stdout[-3000:] + inner.stderr[-3000:]
    assert "2 passed" in inner.stdout, inner.stdout
    ran = [line for line in inner.stdout.splitlines() if line.startswith("PASSED")]
    assert "first_a_test" in ran[0] and "then_a_test" in ran[1], ran
