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
    await Tortoise.init(config=tortoise_config(settings))


async def close_db() -> None:
    await Tortoise.close_connections()
