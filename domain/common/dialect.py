"""Which SQL dialect the default Tortoise connection speaks.

Domain code takes a PostgreSQL-only path (``SELECT … FOR UPDATE``, recursive CTEs, ``SKIP LOCKED``) where the
embedded SQLite demo has no equivalent; this is the one place that asks.
"""

from tortoise import Tortoise


def is_postgres() -> bool:
    """True when the default connection is PostgreSQL (asyncpg), False for the embedded SQLite."""
    conn = Tortoise.get_connection("default")
    return conn.capabilities.dialect == "postgres"
