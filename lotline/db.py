"""Tortoise configuration: one app holding every domain area's models, one connection."""

from typing import Any

from tortoise import Tortoise

from lotline.config import Settings

MODEL_MODULES = [
    "lotline.domain.common.models",
    "lotline.domain.catalog.models",
    "lotline.domain.partners.models",
    "lotline.domain.inventory.models",
    "lotline.domain.purchasing.models",
    "lotline.domain.sales.models",
    "lotline.domain.quality.models",
    "lotline.domain.trace.models",
    "lotline.domain.anchoring.models",
    "lotline.domain.finance.models",
    "lotline.domain.provenance.models",
]


def _connection_url(url: str, pool_max: int) -> str:
    # asyncpg pool size comes from the URL query string in Tortoise.
    if url.startswith(("postgres://", "asyncpg://")) and "maxsize" not in url:
        sep = "&" if "?" in url else "?"
        return f"{url}{sep}minsize=1&maxsize={pool_max}"
    return url


def tortoise_config(settings: Settings) -> dict[str, Any]:
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


def is_postgres() -> bool:
    conn = Tortoise.get_connection("default")
    return conn.capabilities.dialect == "postgres"


async def init_db(settings: Settings) -> None:
    """Process-wide Tortoise for a server: request tasks do not inherit the lifespan task's context
    variables, so the context must be the global fallback (Tortoise 1.x)."""
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()
