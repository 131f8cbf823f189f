# Crowdsource as one container: `crowdsource serve` on port 8080, run by an unprivileged user.
# Build: docker build -t crowdsource .   Run: docker run -p 8080:8080 -v crowdsource:/data crowdsource
# bookworm: its util-linux provides setpriv, which the entrypoint uses to drop root.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data

RUN useradd --system --user-group --uid 10001 --home-dir /data --shell /usr/sbin/nologin crowdsource \
    && mkdir -p /data && chown crowdsource:crowdsource /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY templates ./templates
COPY static ./static
RUN pip install . && rm -rf /app

COPY deploy/entrypoint.sh /usr/local/bin/crowdsource-entrypoint
WORKDIR /data
EXPOSE 8080
# Starts as root only to hand a freshly mounted (root-owned) volume to the app user.
ENTRYPOINT ["crowdsource-entrypoint"]
CMD ["crowdsource", "serve", "--host", "0.0.0.0", "--port", "8080"]
