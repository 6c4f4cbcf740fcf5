"""Issue 10, kind 3: quantities stay exact decimals on SQLite (no ``-9.99e-16`` from float addition), and the
check flags a stored value that is not an exact decimal of its column's scale."""

from decimal import Decimal

from domain.common.exactness import inexact_decimals, is_exact
from domain.inventory.models import StockQuant
from tests import factories
from tests.integration.test_cli_check import lotline_check

from .world import make_world

D = Decimal


async def quant_texts(batch_id: int) -> list[str]:
    conn = StockQuant._meta.db
    rows = await conn.execute_query_dict(
        'SELECT CAST("quantity" AS TEXT) AS q FROM "stock_quant" WHERE "batch_id" = ?', [batch_id]
    )
    return [r["q"] for r in rows]


async def test_returning_tenths_on_sqlite_leaves_exact_quantities(sqlite_db):
    w = await make_world()
    order_id, (line,) = await w.order((D(1), "kg", D("9.90")))
    lot = factories.code("LOT")
    await w.receive(order_id, line, D(1), lot)

    for tenth in (D("0.3"), D("0.3"), D("0.1")):  # as floats: 0.7, 0.39999999999999997, 0.29999999999999998
        await w.give_back(order_id, line, lot, tenth)

    batch = await w.batch(lot)
    assert [D(t) for t in await quant_texts(batch.id)] == [D("0.3")]
    assert all(is_exact(t, 4) for t in await quant_texts(batch.id))
    assert await factories.valuation(w.sku) == (D("0.3"), D("2.97"), D("9.9"))
    assert await inexact_decimals() == []


async def test_the_check_flags_a_float_residue_with_its_table_row_and_column(sqlite_db, tmp_path):
    w = await make_world()
    order_id, (line,) = await w.order((D(1), "kg", D(10)))
    lot = factories.code("LOT")
    await w.receive(order_id, line, D(1), lot)
    quant = await StockQuant.get(batch_id=(await w.batch(lot)).id)
    await StockQuant._meta.db.execute_query(
        "UPDATE stock_quant SET quantity = ? WHERE id = ?", ["-9.99e-16", quant.id]
    )

    found = await inexact_decimals()

    assert [(f.table, f.row_id, f.column, f.stored, f.scale) for f in found] == [
        ("stock_quant", quant.id, "quantity", "-9.99e-16", 4)
    ]
    assert "inexact_decimal stock_quant" in str(found[0])
    code, out = await lotline_check(f"sqlite://{tmp_path / 'lotline.sqlite3'}")
    assert code == 1
    assert f"inexact_decimal stock_quant#{quant.id}.quantity: stored '-9.99e-16'" in out


def test_exact_means_a_finite_decimal_within_the_scale():
    assert [is_exact(t, 4) for t in ("10", "10.5000", "-0.0001")] == [True, True, True]
    assert [is_exact(t, 4) for t in ("0.699999999999999", "-9.99e-16", "NaN", "abc")] == [False] * 4
