# Lotline (批次链) API and worker image. Build: docker build -t lotline .  Run: see docker-compose.yml.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first so code changes reuse the layer: install from pyproject with an empty package.
COPY pyproject.toml README.md ./
RUN mkdir lotline && touch lotline/__init__.py && pip install . && pip uninstall -y lotline && rm -rf lotline build

COPY lotline ./lotline
COPY api ./api
COPY domain ./domain
COPY chain ./chain
COPY workers ./workers
COPY supplier_portal ./supplier_portal
COPY contracts_solidity/AnchorRegistry.json contracts_solidity/AnchorRegistry.sol ./contracts_solidity/
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /app lotline \
    && mkdir -p /app/var && chown lotline /app/var

USER lotline
EXPOSE 8000
CMD ["lotline", "serve", "--migrate"]
