"""The same five-line receipt and shipment as the API posts, written as bare asyncpg statements.

This is the floor: what PostgreSQL alone costs for the rows a posting must write and lock, with no ORM,
no GraphQL and no HTTP. The benchmark reports the API's rate as a ratio of it. Alone these functions write
the stock side only (the floor measured until 2026-11-30); with ``full`` they also write what the API's
posting writes besides (order lock, idempotency key, journal, accruals, trace event and chain heads,
outbox; ``raw_trail``): the "same writes" issue 15 asks the ratio against.
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg

from bench import raw_trail

#: The account ids a posting's journal lines name (debit, credit): read once by the benchmark.
Accounts = tuple[int, int]


async def receipt(
    conn: asyncpg.Connection,
    order_id: int,
    wh_id: int,
    loc_id: int,
    supplier_loc: int,
    lines: list[tuple[int, int]],
    lot: str,
    full: Accounts | None = None,
) -> None:
    """``lines`` holds (order line id, sku id); each receives 1 unit at cost 3.5 into a new batch.

    ``full``: also every other write of the API's posting (``raw_trail``), journal lines on these accounts."""
    now = datetime.now(UTC)
    sku_ids = [s for _, s in lines]
    qty, cost = Decimal(1), Decimal("3.5")
    key = uuid.uuid4().hex
    if full:
        await raw_trail.before(conn, "goods_receipt_post", key)
    async with conn.transaction():
        if full:
            await raw_trail.lock_order(conn, "purchase_order", order_id)
        await conn.fetch(
            "SELECT sku_id FROM sku_valuation WHERE sku_id = ANY($1) ORDER BY sku_id FOR UPDATE", sku_ids
        )
        rid = await conn.fetchval(
            "INSERT INTO goods_receipt (order_id, warehouse_id, received_at) VALUES ($1, $2, $3) "
            "RETURNING id",
            order_id,
            wh_id,
            now,
        )
        batch_ids = [
            r[0]
            for r in await conn.fetch(
                "INSERT INTO batch (sku_id, lot_code, status, created_at) "
                "SELECT s, $2 || '-' || s, 'available', $3 FROM unnest($1::int[]) s RETURNING id",
                sku_ids,
                lot,
                now,
            )
        ]
        await conn.execute(
            "INSERT INTO stock_quant (sku_id, location_id, warehouse_id, batch_id, status, quantity, "
            "reserved, fefo_limit, fefo_expiry) "  # the lots are undated: last in FEFO order
            "SELECT s, $2, $3, b, 'available', $4, 0, DATE '9999-12-31', DATE '9999-12-31' "
            "FROM unnest($1::int[], $5::int[]) AS t(s, b) "
            "ON CONFLICT (sku_id, location_id, batch_id, status) DO UPDATE "
            "SET quantity = stock_quant.quantity + excluded.quantity",
            sku_ids,
            loc_id,
            wh_id,
            qty,
            batch_ids,
        )
        await conn.execute(
            "INSERT INTO stock_move (sku_id, batch_id, from_location_id, to_location_id, from_status, "
            "to_status, "
            "quantity, unit_cost, value, doc_type, doc_id, posted_at) "
            "SELECT s, b, $3, $4, 'available', 'available', $5::numeric, $6::numeric, $5::numeric * "
            "$6::numeric, 'goods_receipt', $7, $8 "
            "FROM unnest($1::int[], $2::int[]) AS t(s, b)",
            sku_ids,
            batch_ids,
            supplier_loc,
            loc_id,
            qty,
            cost,
            rid,
            now,
        )
        await conn.execute(
            "INSERT INTO goods_receipt_line (receipt_id, order_line_id, batch_id, location_id, "
            "quantity_base, "
            "unit_cost) SELECT $1, l, b, $4, $5, $6 FROM unnest($2::int[], $3::int[]) AS t(l, b)",
            rid,
            [ln for ln, _ in lines],
            batch_ids,
            loc_id,
            qty,
            cost,
        )
        await conn.execute(
            "UPDATE sku_valuation SET quantity = quantity + $2::numeric, value = value + $2::numeric * "
            "$3::numeric, "
            "average_cost = (value + $2::numeric * $3::numeric) / (quantity + $2::numeric) WHERE sku_id "
            "= ANY($1)",
            sku_ids,
            qty,
            cost,
        )
        await conn.execute(
            "UPDATE purchase_order_line SET received_base = received_base + $2 WHERE id = ANY($1)",
            [ln for ln, _ in lines],
            qty,
        )
        if full:
            await raw_trail.trail(
                conn,
                scope="goods_receipt_post",
                key=key,
                doc_type="goods_receipt",
                doc_id=rid,
                sku_ids=sku_ids,
                batch_ids=batch_ids,
                accounts=full,
                amount=qty * cost,
                accrue_lines=[ln for ln, _ in lines],
            )


async def shipment(
    conn: asyncpg.Connection,
    order_id: int,
    wh_id: int,
    customer_loc: int,
    lines: list[tuple[int, int]],
    full: Accounts | None = None,
) -> None:
    """Ships 1 unit per line, FEFO over the SKU's available quants; ``full`` as for ``receipt``."""
    now = datetime.now(UTC)
    sku_ids = [s for _, s in lines]
    key = uuid.uuid4().hex
    if full:
        await raw_trail.before(conn, "shipment_post", key)
    async with conn.transaction():
        if full:
            await raw_trail.lock_order(conn, "sales_order", order_id)
        await conn.fetch(
            "SELECT sku_id FROM sku_valuation WHERE sku_id = ANY($1) ORDER BY sku_id FOR UPDATE", sku_ids
        )
        sid = await conn.fetchval(
            "INSERT INTO shipment (order_id, warehouse_id, shipped_at) VALUES ($1, $2, $3) RETURNING id",
            order_id,
            wh_id,
            now,
        )
        picks = await conn.fetch(
            "SELECT DISTINCT ON (q.sku_id) q.id, q.sku_id, q.batch_id, q.location_id FROM stock_quant q "
            "JOIN batch b ON b.id = q.batch_id WHERE q.sku_id = ANY($1) AND q.warehouse_id = $2 "
            "AND q.status = 'available' AND q.quantity - q.reserved >= 1 "
            "ORDER BY q.sku_id, b.expiry_date NULLS LAST, q.batch_id",
            sku_ids,
            wh_id,
        )
        await conn.execute(
            "UPDATE stock_quant SET quantity = quantity - 1 WHERE id = ANY($1)", [p["id"] for p in picks]
        )
        await conn.execute(
            "INSERT INTO stock_move (sku_id, batch_id, from_location_id, to_location_id, from_status, "
            "to_status, "
            "quantity, unit_cost, value, doc_type, doc_id, posted_at) "
            "SELECT s, b, l, $4, 'available', 'available', 1, 3.5, 3.5, 'shipment', $5, $6 "
            "FROM unnest($1::int[], $2::int[], $3::int[]) AS t(s, b, l)",
            [p["sku_id"] for p in picks],
            [p["batch_id"] for p in picks],
            [p["location_id"] for p in picks],
            customer_loc,
            sid,
            now,
        )
        line_of = {s: ln for ln, s in lines}
        await conn.execute(
            "INSERT INTO shipment_line (shipment_id, order_line_id, batch_id, location_id, "
            "quantity_base, unit_cost) "
            "SELECT $1, l, b, loc, 1, 3.5 FROM unnest($2::int[], $3::int[], $4::int[]) AS t(l, b, loc)",
            sid,
            [line_of[p["sku_id"]] for p in picks],
            [p["batch_id"] for p in picks],
            [p["location_id"] for p in picks],
        )
        await conn.execute(  # the SKUs picked: a SKU without free stock ships nothing and costs nothing
            "UPDATE sku_valuation SET quantity = quantity - 1, value = value - average_cost WHERE sku_id "
            "= ANY($1)",
            [p["sku_id"] for p in picks],
        )
        await conn.execute(
            "UPDATE sales_order_line SET shipped_base = shipped_base + 1 WHERE id = ANY($1)",
            [ln for ln, _ in lines],
        )
        if full:
            await raw_trail.trail(
                conn,
                scope="shipment_post",
                key=key,
                doc_type="shipment",
                doc_id=sid,
                sku_ids=sku_ids,
                batch_ids=[p["batch_id"] for p in picks],
                accounts=full,
                amount=Decimal("3.5"),
            )
