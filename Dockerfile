# The portal's image. Every process of the Procfile runs from it (compose.yaml starts them);
# configuration comes from the environment (README, "Configuration"). Checked with hadolint by
# `make lint`; the machines the portal is developed on run no Docker engine, so it is not built there.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    BIND=0.0.0.0:8000 \
    STATIC_ROOT=/srv/static \
    MEDIA_ROOT=/srv/media \
    BACKUP_DIR=/srv/backups

# Fonts of the offline packs, pg_dump and pg_restore for backups, curl for the health check.
# Versions follow Debian's security updates of the release, so they are not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core postgresql-client curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/portal
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=collectstatic DATABASE_URL=sqlite:////tmp/none.sqlite3 \
    python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 10001 --home-dir /srv compass \
    && mkdir -p /srv/media /srv/backups \
    && chown 10001 /srv/media /srv/backups

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD ["curl", "-fsS", "http://127.0.0.1:8000/health/"]
CMD ["gunicorn", "portal.wsgi", "--config", "gunicorn.conf.py"]
