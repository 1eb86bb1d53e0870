# Sagsflow for production: gunicorn serves the web app, `sagsflow scheduler` runs timers, escalation
# and e-mail; both from this one image (see compose.yaml and the README's production guide).

# --- browser assets (bpmn-js, dmn-js, htmx, chart.js) from npm, exactly as scripts/assets.sh does ---
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
COPY scripts/assets.sh scripts/assets.sh
RUN mkdir -p src/web/static && bash scripts/assets.sh

# --- the service ---
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SAGSFLOW_PROCESSES_DIR=/app/processes \
    SAGSFLOW_LOG_FORMAT=json
# pg_dump/pg_restore for scripts/backup.sh and scripts/restore.sh
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/sagsflow sagsflow
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY processes ./processes
COPY deploy ./deploy
COPY scripts/backup.sh scripts/restore.sh ./scripts/
COPY --from=assets /build/src/web/static/vendor ./src/web/static/vendor
RUN pip install -e ".[production]"
USER sagsflow
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "web.wsgi:app"]
