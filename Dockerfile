# The dealcoach image: the pinned dependencies, the app, a non-root user, `dealcoach run`.
# Build: docker build -t dealcoach .   With PostgreSQL: docker compose up (compose.yaml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY coaching ./coaching
COPY prompts ./prompts
COPY storage ./storage
RUN pip install --no-deps .

RUN useradd --create-home --uid 10001 dealcoach && mkdir /data && chown dealcoach /data
USER dealcoach
ENV DEALCOACH_DATA_DIR=/data \
    DEALCOACH_HOST=0.0.0.0 \
    DEALCOACH_PORT=3000 \
    DEALCOACH_LOG_FORMAT=json
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/livez', timeout=2)"]
CMD ["dealcoach", "run"]
