"""The pool exchanges ``numeric`` as text read by ``Decimal`` (``lotline.db.numeric_as_text``, issue 15):
every value written and read that way is the one asyncpg's own binary codec writes and reads. In a
column's type (``numeric(p, s)``) the same digits and exponent; unconstrained, an equal number written
as PostgreSQL writes it (150000, where the binary codec gave ``Decimal("1.5E+5")``)."""

from decimal import Decimal

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise import Tortoise

from lotline.config import Settings
from lotline.db import numeric_as_text, tortoise_config

pytestmark = pytest.mark.usefixtures("db")

_COLUMN = st.decimals(min_value=Decimal("-99999999999999.9999"), max_value=Decimal("99999999999999.9999"))
_ANY = st.decimals(allow_nan=False) | st.sampled_from(
    [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("-0"), Decimal("1E+30")]
)


def _same(a: object, b: object) -> bool:
    return isinstance(a, Decimal) and isinstance(b, Decimal) and str(a) == str(b)


def _equal(a: Decimal, b: Decimal) -> bool:
    return (a.is_nan() and b.is_nan()) or a == b


@pytest.fixture
async def binary(pg_url: str) -> asyncpg.Connection:
    """A connection of asyncpg's own, with its binary numeric codec."""
    connection = await asyncpg.connect(pg_url)
    yield connection
    await connection.close()


def test_postgres_pools_run_it_on_each_new_connection() -> None:
    config = tortoise_config(Settings(database_url="postgres://u@127.0.0.1:5432/x"))["connections"]["default"]
    assert config["credentials"]["init"] is numeric_as_text


async def test_the_pool_reads_numeric_as_text() -> None:
    async with Tortoise.get_connection("default").acquire_connection() as connection:
        assert str(await connection.fetchval("SELECT 150000::numeric")) == "150000"  # binary: 1.5E+5
        assert await connection.fetchval("SELECT $1::numeric[]", [Decimal("1.5"), None]) == [
            Decimal("1.5"),
            None,
        ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=_COLUMN, free=_ANY)
async def test_values_read_and_written_as_text_are_the_binary_codecs(
    binary: asyncpg.Connection, column: Decimal, free: Decimal
) -> None:
    sql = "SELECT $1::numeric(18,4), $2::numeric, $2::numeric::text"
    async with Tortoise.get_connection("default").acquire_connection() as pooled:
        by_text = await pooled.fetchrow(sql, column, free)
        read_back = await pooled.fetchrow("SELECT $1::numeric(18,4), $2::numeric", by_text[0], by_text[1])
    by_binary = await binary.fetchrow(sql, column, free)

    assert _same(by_text[0], by_binary[0])  # a column's type: the same digits and exponent
    assert _equal(by_text[1], by_binary[1])
    assert _same(by_text[1], Decimal(by_text[2]))  # read from the text PostgreSQL writes
    assert _same(read_back[0], by_text[0])
    assert _same(read_back[1], by_text[1])
