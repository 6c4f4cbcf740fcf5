"""Genealogy on a million trace events: trace backward / forward of random batches and recalls of roots.

    python -m bench.bench_trace [--events 1000000] [--families 5000] [--traces 200] [--seed 7]

On a fresh PostgreSQL database it bulk-loads, with asyncpg COPY, what the postings would have left: per
"family" of products, root lots received from a supplier (purchase order, receipt, ObjectEvent ADD), then ten
generations of transformations (1-3 inputs, 1-2 outputs, 5 % of inputs taken from another family: shared
ingredients), TransformationEvents with their batch links and lineage edges, quality checks, shipments to
customers (most of the events), stock on hand, and other ObjectEvents (storing, counting, transfers) until the
event count is reached. Then it times ``genealogy.trace_backward`` / ``trace_forward`` / ``recall`` — the real
functions, through Tortoise — and prints p50/p99. Not a test: figures only.
"""

import argparse
import asyncio
import hashlib
import json
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from tortoise.context import TortoiseContext

from bench.harness import fresh_database
from bench.stock_dataset import QUANT_COLUMNS
from domain.trace import genealogy
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config

DEPTH = 10  # transformation generations below the roots
T0 = datetime(2031, 1, 5, 6, 0, tzinfo=UTC)
CHUNK = 50_000
OTHER_STEPS = ("storing", "cycle_counting", "departing", "arriving", "holding", "stocking")


class Copier:
    """Buffers rows per table and COPYs them in chunks, so a million events never sit in memory at once."""

    def __init__(self, conn: asyncpg.Connection, columns: dict[str, list[str]]) -> None:
        self.conn, self.columns = conn, columns
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in columns}
        self.counts: dict[str, int] = dict.fromkeys(columns, 0)

    async def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows[table].append(row)
        if len(self.rows[table]) >= CHUNK:
            await self.flush()

    async def flush(self) -> None:
        # All tables, parents first (the order of ``COLUMNS``), so every foreign key finds its row.
        for t in self.columns:
            if self.rows[t]:
                await self.conn.copy_records_to_table(t, records=self.rows[t], columns=self.columns[t])
                self.counts[t] += len(self.rows[t])
                self.rows[t] = []


COLUMNS = {
    "supplier": ["id", "code", "name", "contact", "lead_time_days", "active"],
    "customer": ["id", "code", "name", "contact", "active"],
    "sku": [
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
    "batch": [
        "id",
        "sku_id",
        "lot_code",
        "supplier_id",
        "production_date",
        "expiry_date",
        "status",
        "created_at",
    ],
    "purchase_order": [
        "id",
        "number",
        "supplier_id",
        "warehouse_id",
        "status",
        "currency",
        "note",
        "created_at",
    ],
    "purchase_order_line": [
        "id",
        "order_id",
        "sku_id",
        "unit",
        "quantity",
        "unit_factor",
        "unit_price",
        "received_base",
        "returned_base",
    ],
    "goods_receipt": ["id", "number", "order_id", "warehouse_id", "received_at"],
    "goods_receipt_line": [
        "id",
        "receipt_id",
        "order_line_id",
        "batch_id",
        "location_id",
        "quantity_base",
        "unit_cost",
    ],
    "trace_event": [
        "id",
        "event_id",
        "event_type",
        "biz_step",
        "action",
        "disposition",
        "event_time",
        "origin",
        "doc_type",
        "doc_id",
        "canonical",
        "leaf",
        "created_at",
    ],
    "transformation": ["id", "number", "biz_step", "note", "posted_at"],
    "transformation_line": ["transformation_id", "role", "batch_id", "location_id", "quantity", "unit_cost"],
    "batch_lineage": ["parent_id", "child_id", "event_id"],
    "quality_check": [
        "id",
        "number",
        "batch_id",
        "status",
        "origin_doc_type",
        "inspector",
        "results",
        "attachments",
        "created_at",
        "started_at",
        "decided_at",
    ],
    "sales_order": [
        "id",
        "number",
        "customer_id",
        "warehouse_id",
        "status",
        "currency",
        "note",
        "created_at",
    ],
    "sales_order_line": [
        "id",
        "order_id",
        "sku_id",
        "unit",
        "quantity",
        "unit_factor",
        "unit_price",
        "shipped_base",
        "returned_base",
    ],
    "shipment": ["id", "number", "order_id", "warehouse_id", "shipped_at"],
    "shipment_line": [
        "shipment_id",
        "order_line_id",
        "batch_id",
        "location_id",
        "quantity_base",
        "unit_cost",
    ],
    "stock_quant": QUANT_COLUMNS,
    "trace_event_batch": ["event_id", "batch_id", "epc_class", "role", "quantity"],
}


@dataclass
class World:
    rng: random.Random
    out: Copier
    warehouse_id: int
    location_id: int
    skus: int
    customers: int
    suppliers: int
    batch_sku: dict[int, int] = field(default_factory=dict)
    batch_lot: dict[int, str] = field(default_factory=dict)
    batch_expiry: dict[int, date] = field(default_factory=dict)  # no best-before: both FEFO dates
    next_id: dict[str, int] = field(default_factory=dict)

    def new_id(self, table: str) -> int:
        self.next_id[table] = self.next_id.get(table, 0) + 1
        return self.next_id[table]

    def epc_class(self, batch_id: int) -> str:
        return f"urn:lotline:class:BT-{self.batch_sku[batch_id]:04d}:{self.batch_lot[batch_id]}"

    async def event(
        self,
        event_type: str,
        biz_step: str,
        at: datetime,
        lots: list[tuple[int, str]],
        doc_type: str = "",
        doc_id: int | None = None,
        action: str | None = "OBSERVE",
        disposition: str | None = "active",
    ) -> int:
        """One trace event with its canonical JSON, hash ID, leaf and batch links; returns its row id."""
        eid = self.new_id("trace_event")
        lists: dict[str, list[dict[str, Any]]] = {}
        for batch_id, role in lots:
            name = {"object": "quantityList", "input": "inputQuantityList", "output": "outputQuantityList"}[
                role
            ]
            lists.setdefault(name, []).append(
                {"epcClass": self.epc_class(batch_id), "quantity": 10, "uom": "KGM"}
            )
        body: dict[str, Any] = {
            "type": event_type,
            "eventTime": at.isoformat().replace("+00:00", "Z"),
            "eventTimeZoneOffset": "+00:00",
            "bizStep": biz_step,
            "readPoint": {"id": "urn:lotline:place:BT-WH"},
            **lists,
        }
        if action:
            body["action"] = action
        if disposition:
            body["disposition"] = disposition
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        event_hash = hashlib.sha256(f"{eid}:{canonical}".encode()).hexdigest()
        await self.out.add(
            "trace_event",
            (
                eid,
                f"ni:///sha-256;{event_hash}?ver=CBV2.0",
                event_type,
                biz_step,
                action,
                disposition,
                at,
                "internal",
                doc_type,
                doc_id,
                canonical,
                digest,
                at,
            ),
        )
        for batch_id, role in lots:
            await self.out.add(
                "trace_event_batch", (eid, batch_id, self.epc_class(batch_id), role, Decimal(10))
            )
        return eid

    async def batch(self, family: int, layer: int, supplier_id: int | None) -> int:
        bid = self.new_id("batch")
        sku = self.rng.randint(1, self.skus)
        made = (T0 + timedelta(days=layer)).date()
        self.batch_sku[bid], self.batch_lot[bid] = sku, f"F{family}-G{layer}-{bid}"
        self.batch_expiry[bid] = made + timedelta(days=365 - 20 * layer)
        status = "available" if layer < DEPTH else self.rng.choice(("available", "available", "quarantine"))
        await self.out.add(
            "batch",
            (
                bid,
                sku,
                self.batch_lot[bid],
                supplier_id,
                made,
                self.batch_expiry[bid],
                status,
                T0,
            ),
        )
        return bid


async def load(url: str, target_events: int, families: int, seed: int) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        wh = await conn.fetchval(
            "INSERT INTO warehouse (code, name, active) VALUES ('BT-WH', '追溯仓', true) RETURNING id"
        )
        loc = await conn.fetchval(
            "INSERT INTO location (code, name, path, kind, frozen, warehouse_id) VALUES "
            "('BT-WH/A', 'A', 'BT-WH/A', 'internal', false, $1) RETURNING id",
            wh,
        )
        world = World(random.Random(seed), Copier(conn, COLUMNS), wh, loc, 500, 2000, 200)
        await load_world(world, target_events, families)
        await world.out.flush()
        for table in (
            "supplier",
            "customer",
            "sku",
            "batch",
            "purchase_order",
            "purchase_order_line",
            "goods_receipt",
            "goods_receipt_line",
            "transformation",
            "quality_check",
            "sales_order",
            "sales_order_line",
            "shipment",
            "trace_event",
        ):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        await conn.execute("ANALYZE")
        return world.out.counts
    finally:
        await conn.close()


async def load_world(w: World, target_events: int, families: int) -> None:
    rng, out = w.rng, w.out
    for i in range(1, w.suppliers + 1):
        await out.add("supplier", (i, f"BT-S{i:04d}", f"供应商 {i}", "", 3, True))
    for i in range(1, w.customers + 1):
        await out.add("customer", (i, f"BT-C{i:04d}", f"门店 {i}", "", True))
    for i in range(1, w.skus + 1):
        await out.add(
            "sku",
            (
                i,
                f"BT-{i:04d}",
                f"商品{i}",
                f"Item {i}",
                "kg",
                "kg",
                "kg",
                Decimal("0.09"),
                False,
                False,
                True,
                T0,
            ),
        )
    await out.flush()
    # Batches, generation by generation, all families at once (so inputs may come from another family).
    layers: list[list[list[int]]] = [[] for _ in range(families)]
    for f in range(families):
        supplier = rng.randint(1, w.suppliers)
        for layer in range(DEPTH + 1):
            width = rng.randint(2, 6)
            layers[f].append(
                [await w.batch(f, layer, supplier if layer == 0 else None) for _ in range(width)]
            )
    for f in range(families):
        for bid in layers[f][0]:
            po, pol, gr = (
                w.new_id("purchase_order"),
                w.new_id("purchase_order_line"),
                w.new_id("goods_receipt"),
            )
            at = T0 + timedelta(minutes=f)
            supplier = rng.randint(1, w.suppliers)
            await out.add(
                "purchase_order", (po, f"PO{po:08d}", supplier, w.warehouse_id, "received", "CNY", "", at)
            )
            await out.add(
                "purchase_order_line",
                (
                    pol,
                    po,
                    w.batch_sku[bid],
                    "kg",
                    Decimal(100),
                    Decimal(1),
                    Decimal(12),
                    Decimal(100),
                    Decimal(0),
                ),
            )
            await out.add("goods_receipt", (gr, f"GR{gr:08d}", po, w.warehouse_id, at))
            await out.add(
                "goods_receipt_line",
                (w.new_id("goods_receipt_line"), gr, pol, bid, w.location_id, Decimal(100), Decimal(12)),
            )
            await w.event("ObjectEvent", "receiving", at, [(bid, "object")], "goods_receipt", gr, "ADD")
    for layer in range(1, DEPTH + 1):
        for f in range(families):
            prev, outputs = layers[f][layer - 1], list(layers[f][layer])
            groups: list[tuple[list[int], list[int]]] = []
            while outputs:
                k = min(len(outputs), rng.choice((1, 1, 2)))
                ins = rng.sample(prev, rng.randint(1, min(3, len(prev))))
                if rng.random() < 0.05:  # a shared ingredient: a lot of the same generation in another family
                    ins.append(rng.choice(layers[rng.randrange(families)][layer - 1]))
                groups.append((sorted(set(ins)), outputs[:k]))
                outputs = outputs[k:]
            for bid in set(prev) - {b for ins, _ in groups for b in ins}:  # every lot goes somewhere
                rng.choice(groups)[0].append(bid)
            for ins, outs in groups:
                tf = w.new_id("transformation")
                at = T0 + timedelta(days=layer, minutes=f)
                await out.add("transformation", (tf, f"TF{tf:08d}", "repackaging", "", at))
                for role, bids in (("input", ins), ("output", outs)):
                    for bid in bids:
                        await out.add(
                            "transformation_line", (tf, role, bid, w.location_id, Decimal(10), Decimal(12))
                        )
                eid = await w.event(
                    "TransformationEvent",
                    "repackaging",
                    at,
                    [(b, "input") for b in ins] + [(b, "output") for b in outs],
                    "transformation",
                    tf,
                    None,
                    None,
                )
                for p in ins:
                    for c in outs:
                        await out.add("batch_lineage", (p, c, eid))
    all_batches = sorted(w.batch_sku)
    deepest = {b for fam in layers for b in fam[DEPTH]}
    for bid in all_batches:
        at = T0 + timedelta(days=DEPTH + 1, seconds=bid)
        if rng.random() < 0.2:  # a quality check, started and decided
            qc = w.new_id("quality_check")
            await out.add(
                "quality_check",
                (
                    qc,
                    f"QC{qc:08d}",
                    bid,
                    "passed",
                    "goods_receipt",
                    "li",
                    "[]",
                    "[]",
                    at,
                    at,
                    at + timedelta(hours=2),
                ),
            )
            await w.event(
                "ObjectEvent",
                "inspecting",
                at,
                [(bid, "object")],
                "quality_check_start",
                qc,
                disposition="non_sellable_other",
            )
            await w.event(
                "ObjectEvent",
                "inspecting",
                at + timedelta(hours=2),
                [(bid, "object")],
                "quality_check_pass",
                qc,
                disposition="conformant",
            )
        shipments = rng.randint(3, 12) if bid in deepest else (rng.randint(1, 3) if rng.random() < 0.1 else 0)
        for s in range(shipments):
            so, sol, sh = w.new_id("sales_order"), w.new_id("sales_order_line"), w.new_id("shipment")
            when = at + timedelta(days=1, hours=s)
            await out.add(
                "sales_order",
                (so, f"SO{so:08d}", rng.randint(1, w.customers), w.warehouse_id, "shipped", "CNY", "", when),
            )
            await out.add(
                "sales_order_line",
                (
                    sol,
                    so,
                    w.batch_sku[bid],
                    "kg",
                    Decimal(2),
                    Decimal(1),
                    Decimal(20),
                    Decimal(2),
                    Decimal(0),
                ),
            )
            await out.add("shipment", (sh, f"SH{sh:08d}", so, w.warehouse_id, when))
            await out.add("shipment_line", (sh, sol, bid, w.location_id, Decimal(2), Decimal(12)))
            await w.event(
                "ObjectEvent", "shipping", when, [(bid, "object")], "shipment", sh, disposition="in_transit"
            )
        if rng.random() < 0.3:
            await out.add(
                "stock_quant",
                (
                    w.batch_sku[bid],
                    w.location_id,
                    w.warehouse_id,
                    bid,
                    "available",
                    Decimal(rng.randint(1, 50)),
                    Decimal(0),
                    w.batch_expiry[bid],
                    w.batch_expiry[bid],
                ),
            )
    remaining = target_events - w.next_id["trace_event"]
    for i in range(max(0, remaining)):
        bid = rng.choice(all_batches)
        lots = [(bid, "object")]
        if rng.random() < 0.3 and bid + 1 in w.batch_sku:
            lots.append((bid + 1, "object"))
        await w.event(
            "ObjectEvent",
            rng.choice(OTHER_STEPS),
            T0 + timedelta(days=DEPTH + 3, seconds=i),
            lots,
            "stock_count",
        )


def figures(name: str, ms: list[float], sizes: list[tuple[int, int]]) -> str:
    data = sorted(ms)
    pct = {p: data[min(len(data) - 1, int(p / 100 * len(data)))] for p in (50, 99)}
    lots, paths = [s[0] for s in sizes], [s[1] for s in sizes]
    return (
        f"| {name} | {len(ms)} | {pct[50]:.1f} ms | {pct[99]:.1f} ms | {max(ms):.1f} ms | "
        f"{statistics.fmean(lots):.0f} / {max(lots)} | {statistics.fmean(paths):.0f} / {max(paths)} |"
    )


def tree_size(root: Any, children: str) -> tuple[int, int]:
    """(distinct lots, tree nodes): a lot reached along several paths is one lot but several nodes."""
    lots: set[int] = set()
    paths: dict[int, int] = {}  # id(node) -> nodes under it, computed once per shared node

    def walk(n: Any) -> int:
        if id(n) not in paths:
            lots.add(n.batch.id)
            paths[id(n)] = 1 + sum(walk(c) for c in getattr(n, children))
        return paths[id(n)]

    nodes = walk(root)
    return len(lots), nodes


async def timed(
    ids: list[int], fn: Callable[[int], Awaitable[Any]], size: Callable[[Any], tuple[int, int]]
) -> tuple[list[float], list[tuple[int, int]]]:
    ms, sizes = [], []
    for bid in ids:
        t0 = time.perf_counter()
        result = await fn(bid)
        ms.append((time.perf_counter() - t0) * 1000)
        sizes.append(size(result))
    return ms, sizes


async def measure(roots: list[int], deepest: list[int], batches: int, traces: int, seed: int) -> list[str]:
    rng = random.Random(seed + 1)
    anyone = rng.sample(range(1, batches + 1), traces)
    deep = rng.sample(deepest, traces)
    top = rng.sample(roots, traces)
    await genealogy.trace_backward(anyone[0])  # warm the pool and the planner's caches
    back, forth = (lambda n: tree_size(n, "inputs")), (lambda n: tree_size(n, "outputs"))
    rows = []
    for name, ids, fn, size in (
        ("traceBackward, random batches", anyone, genealogy.trace_backward, back),
        ("traceBackward, deepest batches (generation 10)", deep, genealogy.trace_backward, back),
        ("traceForward, random batches", anyone, genealogy.trace_forward, forth),
        ("traceForward, root batches (10 generations below)", top, genealogy.trace_forward, forth),
        ("recall, root batches", top, genealogy.recall, lambda r: (len(r.affected_batches),) * 2),
    ):
        ms, sizes = await timed(ids, fn, size)
        rows.append(figures(name, ms, sizes))
    return rows


async def main(events: int, families: int, traces: int, seed: int, indexes: bool) -> None:
    async with fresh_database("lotline_bench_trace") as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        t0 = time.perf_counter()
        counts = await load(url, events, families, seed)
        print(
            f"loaded with COPY in {time.perf_counter() - t0:.0f} s: "
            + ", ".join(f"{t} {n:,}" for t, n in counts.items() if n)
        )
        conn = await asyncpg.connect(url)
        size = await conn.fetchval("SELECT pg_size_pretty(pg_database_size(current_database()))")
        deepest = [r[0] for r in await conn.fetch("SELECT id FROM batch WHERE lot_code LIKE '%-G10-%'")]
        roots = [r[0] for r in await conn.fetch("SELECT id FROM batch WHERE lot_code LIKE '%-G0-%'")]
        batches = await conn.fetchval("SELECT MAX(id) FROM batch")
        print(f"database size {size}")
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            print("| query | traces | p50 | p99 | max | lots (mean / max) | tree nodes (mean / max) |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for row in await measure(roots, deepest, batches, traces, seed):
                print(row)
            if indexes:
                for sql in INDEXES:
                    await conn.execute(sql)
                await conn.execute("ANALYZE")
                print("with the batch indexes of the proposed migration:")
                for row in await measure(roots, deepest, batches, traces, seed):
                    print(row)
        await conn.close()


#: Tortoise creates no index for a foreign key on PostgreSQL: these are the lookups genealogy makes by batch.
INDEXES = [
    "CREATE INDEX IF NOT EXISTS bt_shipment_line_batch ON shipment_line (batch_id)",
    "CREATE INDEX IF NOT EXISTS bt_goods_receipt_line_batch ON goods_receipt_line (batch_id)",
    "CREATE INDEX IF NOT EXISTS bt_quality_check_batch ON quality_check (batch_id)",
    "CREATE INDEX IF NOT EXISTS bt_customer_return_line_batch ON customer_return_line (batch_id)",
    "CREATE INDEX IF NOT EXISTS bt_stock_quant_batch ON stock_quant (batch_id)",
]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--families", type=int, default=5000)
    parser.add_argument("--traces", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--indexes", action="store_true", help="then again with the proposed batch indexes")
    args = parser.parse_args()
    asyncio.run(main(args.events, args.families, args.traces, args.seed, args.indexes))
