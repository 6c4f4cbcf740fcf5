"""Bulk-loads the stock-page data set (SKUs × warehouses × batches) with COPY, consistent with the ledger.

Posting 150,000 receipts through the API would take longer than the benchmark itself; the rows written here
are exactly what those receipts would leave (a batch, a supplier→location move, a quant, a valuation), and
`lotline check` agrees with them.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg

#: The columns of a ``stock_quant`` row the bench datasets copy in.
QUANT_COLUMNS = [
    "sku_id",
    "location_id",
    "warehouse_id",
    "batch_id",
    "status",
    "quantity",
    "reserved",
    "fefo_limit",
    "fefo_expiry",
]


async def load(dsn: str, skus: int, warehouses: list[tuple[int, int]], batches_per: int) -> None:
    """``warehouses`` holds (warehouse id, internal location id) pairs that already exist."""
    conn = await asyncpg.connect(dsn)
    try:
        now = datetime.now(UTC)
        supplier_loc = await conn.fetchval(
            "INSERT INTO location (code, name, path, kind, frozen) VALUES ('VIRTUAL/SUPPLIER', "
            "'VIRTUAL/SUPPLIER', "
            "'VIRTUAL/SUPPLIER', 'supplier', false) ON CONFLICT (code) DO UPDATE SET kind = 'supplier' "
            "RETURNING id"
        )
        base = await conn.fetchval("SELECT COALESCE(MAX(id), 0) FROM sku")
        sku_rows = [
            (
                base + i + 1,
                f"BENCH-{i:05d}",
                f"基准商品{i}",
                f"Bench item {i}",
                "kg",
                "kg",
                "kg",
                Decimal("0.09"),
                False,
                False,
                True,
                now,
            )
            for i in range(skus)
        ]
        await conn.copy_records_to_table(
            "sku",
            records=sku_rows,
            columns=[
                "id",
                "code",
                "name_zh",
                "name_en",
                "base_unit",
                "purchase_unit",
                "sales_unit",
                "tax_rate",
                "tax_exempt",
                "high_risk",
                "active",
                "created_at",
            ],
        )
        await conn.copy_records_to_table(
            "sku_unit",
            records=[(r[0], "kg", Decimal(1)) for r in sku_rows],
            columns=["sku_id", "unit", "factor"],
        )
        batch_rows, quant_rows, move_rows = [], [], []
        batch_id = await conn.fetchval("SELECT COALESCE(MAX(id), 0) FROM batch")
        valuation: dict[int, tuple[Decimal, Decimal]] = {}
        today = now.date()
        for r in sku_rows:
            sku_id = r[0]
            for wh_id, loc_id in warehouses:
                for b in range(batches_per):
                    batch_id += 1
                    expiry = today + timedelta(days=5 + b * 3)
                    batch_rows.append((batch_id, sku_id, f"L{wh_id}-{b}", expiry, "available", now))
                    qty, cost = Decimal(10 + b), Decimal("3.5000")
                    quant_rows.append(
                        (sku_id, loc_id, wh_id, batch_id, "available", qty, Decimal(0), expiry, expiry)
                    )
                    move_rows.append(
                        (
                            sku_id,
                            batch_id,
                            supplier_loc,
                            loc_id,
                            "available",
                            "available",
                            qty,
                            cost,
                            qty * cost,
                            "bench_load",
                            0,
                            now,
                        )
                    )
                    q, v = valuation.get(sku_id, (Decimal(0), Decimal(0)))
                    valuation[sku_id] = (q + qty, v + qty * cost)
        await conn.copy_records_to_table(
            "batch",
            records=batch_rows,
            columns=["id", "sku_id", "lot_code", "expiry_date", "status", "created_at"],
        )
        await conn.copy_records_to_table(
            "stock_quant",
            records=quant_rows,
            columns=QUANT_COLUMNS,  # no best-before: the expiry is both FEFO dates (rules.fefo_dates)
        )
        await conn.copy_records_to_table(
            "stock_move",
            records=move_rows,
            columns=[
                "sku_id",
                "batch_id",
                "from_location_id",
                "to_location_id",
                "from_status",
                "to_status",
                "quantity",
                "unit_cost",
                "value",
                "doc_type",
                "doc_id",
                "posted_at",
            ],
        )
        await conn.copy_records_to_table(
            "sku_valuation",
            records=[(k, q, v, (v / q).quantize(Decimal("0.0001"))) for k, (q, v) in valuation.items()],
            columns=["sku_id", "quantity", "value", "average_cost"],
        )
        for table in ("sku", "batch"):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def load_into_warehouses(dsn: str, skus: int, label: str, batches_per: int = 5) -> int:
    """Creates warehouses W1, W2, W3 through the inventory service (``label`` names them) and loads the data
    set into them; returns the number of lots loaded. Needs Tortoise initialised on ``dsn``."""
    from domain.inventory import services as inventory
    from domain.inventory.models import Location, Warehouse

    codes = ["W1", "W2", "W3"]
    for code in codes:
        await inventory.create_warehouse(code, f"{label} {code}")
    whs = [(w.id, (await Location.get(code=w.code)).id) for w in await Warehouse.filter(code__in=codes)]
    await load(dsn, skus, whs, batches_per)
    return skus * len(whs) * batches_per
