"""The Dockerfile and compose.yaml, read as text: no container runtime needed.

They cannot be built here, so these check what can go stale without anyone
noticing: files the image copies, the commands each service runs against
those of `make serve-prod`, the uv version, the plugins, a non-root user.
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = (ROOT / "compose.yaml").read_text()


def serve_prod():
    spec = importlib.util.spec_from_file_location(
        "serve_prod", ROOT / "deploy" / "serve_prod.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def instructions(name: str) -> list[str]:
    """Each `name` instruction's arguments, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [
        line.split(None, 1)[1]
        for line in joined.splitlines()
        if line.split(None, 1)[:1] == [name]
    ]


def compose_services() -> dict[str, str]:
    """Each service's block of compose.yaml, by name."""
    services = COMPOSE.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    blocks = re.split(r"^  ([\w-]+):\n", services, flags=re.MULTILINE)[1:]
    return dict(zip(blocks[::2], blocks[1::2], strict=True))


def command_of(service: str) -> list[str]:
    found = re.search(r"^    command: (\[.*\])$", compose_services()[service], re.M)
    assert found, f"compose.yaml: {service} has no command as a JSON array"
    return json.loads(found.group(1))


def test_the_image_is_multi_stage_and_runs_as_a_user_not_root():
    stages = instructions("FROM")
    assert len(stages) >= 2
    assert all(stage.startswith("python:3.11-") for stage in stages)
    users = instructions("USER")
    assert users and users[-1] not in ("root", "0")
    # The user is set before the command, in the last stage.
    last_stage = DOCKERFILE.rsplit("\nFROM ", 1)[1]
    assert "\nUSER " in last_stage.split("\nCMD ")[0]


def test_every_file_the_image_copies_exists():
    for arguments in instructions("COPY"):
        if arguments.startswith("--from="):
            continue
        *sources, _destination = arguments.split()
        for source in sources:
            assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"


def test_the_image_installs_from_the_lock_file_with_makes_uv():
    uv_version = re.search(
        r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M
    )
    assert f"uv=={uv_version.group(1)}" in DOCKERFILE
    assert "uv sync --frozen --no-dev" in DOCKERFILE


def test_the_image_installs_every_first_party_plugin():
    installed = re.findall(r"\./plugins/(\w+)", DOCKERFILE)
    assert sorted(installed) == sorted(settings.FIRST_PARTY_PLUGINS)
    for name in installed:
        assert (ROOT / "plugins" / name / "pyproject.toml").exists()


def test_the_image_leaves_out_local_state_and_secrets():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for name in (".venv", ".uv", "db.sqlite3*", "media", "private-media",
                 ".serve-prod-secret-key", "backups"):  # fmt: skip
        assert name in ignored


def test_the_image_and_compose_run_what_make_serve_prod_runs():
    module = serve_prod()
    web = ["python", *module.WEB_COMMAND]
    assert json.loads(instructions("CMD")[-1]) == web
    assert command_of("web") == web
    assert command_of("worker") == ["python", *module.WORKER_COMMAND]
    assert command_of("migrate") == ["python", *module.MIGRATE_COMMAND]
    assert "deploy/serve_prod.py" in (ROOT / "Makefile").read_text()
    for path in ("deploy/gunicorn.conf.py", "manage.py"):
        assert (ROOT / path).exists()


@pytest.mark.parametrize("service", ["web", "worker", "migrate"])
def test_web_and_workers_wait_for_migrations_and_share_the_settings(service):
    block = compose_services()[service]
    assert "<<: *app" in block
    if service != "migrate":
        assert "condition: service_completed_successfully" in block


def test_compose_has_web_worker_postgres_and_redis():
    services = compose_services()
    assert {"web", "worker", "db", "redis"} <= services.keys()
    assert "image: postgres:15" in services["db"]
    assert "image: redis:" in services["redis"]
