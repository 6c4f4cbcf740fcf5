"""Tortoise configuration: one app holding every domain area's models, one connection."""

from typing import Any

from tortoise import Tortoise

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


def tortoise_config(settings: Settings) -> dict[str, Any]:
    # Every process that opens the database (server, worker, CLI, tests) comes through here.
    business_time.configure(settings.business_time_zone)
    return {
        "connections": {"default": _connection_url(settings.database_url, settings.db_pool_max)},
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
