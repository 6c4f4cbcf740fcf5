"""Tortoise configuration: one app holding every domain area's models, one connection."""

from decimal import Decimal
from typing import Any

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url

from domain.common import business_time
from lotline.config import Settings

MODEL_MODULES = [
    "domain.common.models",
    "domain.catalog.models",
    "domain.partners.models",
    "domain.inventory.models",
    "domain.purchasing.models",
    "domain.sales.models",
    "domain.quality.models",
    "domain.trace.models",
    "domain.anchoring.models",
    "domain.finance.models",
    "domain.provenance.models",
    "domain.channels.models",
    "domain.devices.models",
    "domain.expiry.models",
    "domain.asn.models",
    "domain.attestations.models",
    "domain.replenishment.models",
    "domain.production.models",
    "domain.health.models",
    "domain.approvals.models",
    "domain.reports.models",
    "domain.recall.models",
    "domain.customfields.models",
    "domain.mappings.models",
]


def _connection_url(url: str, pool_max: int) -> str:
    # asyncpg pool size comes from the URL query string in Tortoise.
    if url.startswith(("postgres://", "asyncpg://")) and "maxsize" not in url:
        sep = "&" if "?" in url else "?"
        return f"{url}{sep}minsize=1&maxsize={pool_max}"
    return url


class PooledConnection(asyncpg.Connection):  # type: ignore[misc]  # asyncpg ships no type hints
    """A pooled connection handed back without asyncpg's session reset.

    On every release asyncpg's pool runs ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL;``: a round trip and four commands for PostgreSQL, three times per API request (the token,
    the idempotency key, the posting's transaction; issue 15). Lotline leaves no session state on a pooled
    connection to reset: advisory locks are transaction-scoped (``pg_advisory_xact_lock``), ``LISTEN`` runs
    on a connection of its own (``api.devices.dispatch``), there are no held cursors and no ``SET`` outside
    a transaction. An open transaction is still rolled back on release (asyncpg always does that).
    ``tests/integration/test_pooled_connections.py`` checks the rule on the code, and that a request's
    connection comes back clean."""

    def get_reset_query(self) -> str:
        return ""


async def numeric_as_text(connection: asyncpg.Connection) -> None:
    """Has ``connection`` exchange ``numeric`` values as text, read by ``Decimal`` (a pool's ``init``).

    The same exact values as asyncpg's binary codec — PostgreSQL writes a numeric's digits and scale as
    its text ("2.5000"), which ``Decimal`` reads digit for digit, NaN and infinities included — in
    about half its time: decoding 500 order lines' five figures took 1.5 ms binary, 1.0 ms as text
    (issue 15, bench/README.md). Parameters go as ``str(value)``, which PostgreSQL parses exactly too.
    ``tests/integration/test_numeric_codec.py`` pins it to the binary codec."""
    await connection.set_type_codec(
        "numeric", schema="pg_catalog", encoder=str, decoder=Decimal, format="text"
    )


def _connection(url: str, pool_max: int) -> str | dict[str, Any]:
    """The Tortoise connection: a URL, or for PostgreSQL the URL's parts with ``PooledConnection`` and
    ``numeric_as_text`` run on each new connection."""
    url = _connection_url(url, pool_max)
    if not url.startswith(("postgres://", "asyncpg://")):
        return url
    config = expand_db_url(url)
    config["credentials"]["connection_class"] = PooledConnection
    config["credentials"]["init"] = numeric_as_text
    return config


def tortoise_config(settings: Settings) -> dict[str, Any]:
    # Every process that opens the database (server, worker, CLI, tests) comes through here.
    business_time.configure(settings.business_time_zone)
    return {
        "connections": {"default": _connection(settings.database_url, settings.db_pool_max)},
        "apps": {
            "lotline": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "lotline.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(settings: Settings) -> None:
    """Process-wide Tortoise for a server: request tasks do not inherit the lifespan task's context
    variables, so the context must be the global fallback (Tortoise 1.x)."""
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()
