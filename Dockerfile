# Learning Commons: a production image, built from uv.lock.
#   docker build -t learning-commons .
#   docker compose up        (compose.yaml: web, worker, PostgreSQL, Redis)
# See docs/deploy.md. The repository's tests do not need Docker.

# --- build: the environment from the lock file, the first-party plugins, and
# the static files (compressed and fingerprinted for WhiteNoise).
FROM python:3.11-slim-bookworm AS build
ENV UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# The uv version `make install` uses.
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
# The first-party plugins (a development dependency group in pyproject.toml,
# so that tests install them editable), installed as ordinary packages;
# LMS_PLUGINS switches them on.
COPY plugins/ plugins/
RUN uv pip install --python /app/.venv/bin/python --no-deps \
    ./plugins/toolkits ./plugins/coaching ./plugins/grantwriting \
    ./plugins/discussions ./plugins/surveys ./plugins/partners
COPY . .
RUN DJANGO_SETTINGS_MODULE=lms.settings.production \
    SECRET_KEY=collectstatic-only-not-a-secret-0123456789-0123456789-0123456789 \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    /app/.venv/bin/python manage.py collectstatic --noinput --verbosity 0

# --- runtime: no compilers, no uv, not root.
FROM python:3.11-slim-bookworm AS runtime
# Pango for certificate PDFs (WeasyPrint); PostgreSQL's client programs for
# `manage.py backup` and `restore` (their major version must be the server's:
# bookworm's is 15, as in compose.yaml).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpangoft2-1.0-0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 10001 --user-group --home-dir /app --no-create-home lms \
    && mkdir -p /data/media /data/private-media /data/backups \
    && chown -R lms:lms /data
WORKDIR /app
COPY --from=build /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=lms.settings.production \
    HOST=0.0.0.0 \
    PORT=8000 \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private-media \
    BACKUP_DIR=/data/backups
USER lms
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# The web server; the task worker runs the same image with
# ["python", "manage.py", "db_worker"] (compose.yaml).
CMD ["python", "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
