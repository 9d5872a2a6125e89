"""Fixtures for every pytest run of the project: tests/ and bench/."""

# Each backend's test database comes from a template migrated once.
pytest_plugins = ["tests.database_setup"]
