"""Finance figures on PostgreSQL: trial balance and ageing over 1,000,000 journal lines, and what booking the
journal costs a stock posting.

    python -m bench.bench_finance [--lines 1000000] [--postings 200]

Lines are generated in bulk with raw SQL (balanced entries of 10 lines over two years, 23 accounts, 200
partners), plus 100,000 bills and invoices for the ageing. The posting figures call the services in process
(no HTTP), once with the finance hooks and once with them replaced by no-ops. Not a test: figures only.
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tortoise import Tortoise
from tortoise.context import TortoiseContext

from bench.harness import fresh_database
from domain.catalog import services as catalog
from domain.catalog.services import OrderLineInput
from domain.finance import postings as finance
from domain.finance import reports
from domain.finance.journal import seed_chart
from domain.inventory import services as inventory
from domain.partners import services as partners
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.sales import services as sales
from domain.sales import shipments
from domain.sales.models import SalesOrderLine
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config

LINES_SQL = """
INSERT INTO fin_journal_entry (id, entry_date, period, doc_type, doc_id, memo, source, created_at)
SELECT e, DATE '2025-01-01' + (e % 730)::int, to_char(DATE '2025-01-01' + (e % 730)::int, 'YYYY-MM'),
       'bench', e, '', 'auto', now()
FROM generate_series($1::bigint, $2::bigint) AS e;
INSERT INTO fin_journal_line
    (entry_id, account_id, entry_date, debit, credit, partner_kind, partner_id, doc_type, doc_id, memo)
SELECT e, ($3::int[])[1 + ((e * 7 + k) % array_length($3::int[], 1))::int],
       DATE '2025-01-01' + (e % 730)::int,
       CASE WHEN k < 5 THEN ((e * 31 + k) % 100000) / 100.0 ELSE 0 END,
       CASE WHEN k >= 5 THEN ((e * 31 + k - 5) % 100000) / 100.0 ELSE 0 END,
       CASE WHEN k % 2 = 0 THEN 'customer' ELSE 'supplier' END, 1 + (e + k) % 200, 'bench', e, ''
FROM generate_series($1::bigint, $2::bigint) AS e, generate_series(0, 9) AS k;
"""


async def _sql(query: str, *args: Any) -> None:
    conn = Tortoise.get_connection("default")
    async with conn.acquire_connection() as raw:
        await raw.execute(query, *args)


async def timed(label: str, fn: Callable[[], Awaitable[Any]], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - t0)
    best, med = min(times), statistics.median(times)
    print(f"{label:<52} best {best * 1000:8.1f} ms   median {med * 1000:8.1f} ms")
    return med


async def bulk_lines(n_lines: int) -> None:
    account_ids = [
        r["id"]
        for r in await Tortoise.get_connection("default").execute_query_dict(
            "SELECT id FROM fin_account ORDER BY id"
        )
    ]
    entries = n_lines // 10
    t0 = time.perf_counter()
    step = 20_000
    for start in range(1, entries + 1, step):
        end = min(start + step - 1, entries)
        conn = Tortoise.get_connection("default")
        async with conn.acquire_connection() as raw:
            for stmt in LINES_SQL.strip().split(";\n"):
                if stmt.strip():
                    params = (start, end, account_ids) if "$3" in stmt else (start, end)
                    await raw.execute(stmt, *params)
    await _sql("SELECT setval('fin_journal_entry_id_seq', (SELECT max(id) FROM fin_journal_entry))")
    for p in range(1, 201):
        await partners.create_supplier(f"S{p:03d}", f"供应商{p}")
        await partners.create_customer(f"C{p:03d}", f"客户{p}")
    docs = 50_000
    await _sql(
        """INSERT INTO fin_customer_invoice
               (customer_id, kind, invoice_date, net, tax, total, paid, created_at)
           SELECT 1 + i % 200, 'invoice', DATE '2025-06-01' + (i % 400), 100, 13, 113,
                  CASE WHEN i % 3 = 0 THEN 113 ELSE 0 END, now() FROM generate_series(1, $1) AS i""",
        docs,
    )
    await _sql(
        """INSERT INTO fin_supplier_bill
               (supplier_id, kind, status, supplier_ref, bill_date, net, tax, total, paid, problems,
                created_at)
           SELECT 1 + i % 200, 'bill', 'posted', '', DATE '2025-06-01' + (i % 400), 100, 13, 113, 0, '',
                  now()
           FROM generate_series(1, $1) AS i""",
        docs,
    )
    await _sql("ANALYZE")
    print(
        f"generated {entries * 10:,} journal lines, {docs:,} invoices, {docs:,} bills "
        f"in {time.perf_counter() - t0:.1f} s"
    )


async def postings(n: int, with_finance: bool, tag: str) -> tuple[float, float]:
    """n receipts then n shipments of 5 lines each, sequential; returns (receipts/s, shipments/s)."""
    saved = {k: getattr(finance, k) for k in ("book_goods_receipt", "book_shipment")}

    async def nothing(*_: Any, **__: Any) -> None:
        return None

    if not with_finance:
        for k in saved:
            setattr(finance, k, nothing)
    try:
        at = datetime(2026, 3, 10, 2, tzinfo=UTC)
        wh = f"W{tag}"
        await inventory.create_warehouse(wh, wh)
        codes = [f"P{tag}-{i}" for i in range(5)]
        for c in codes:
            await catalog.create_sku(catalog.SkuInput(c, c, c, "kg"))
        po = await purchasing.purchase_order_create(
            "S001", wh, [OrderLineInput(c, Decimal(n * 10), unit_price=Decimal("3.1")) for c in codes]
        )
        await purchasing.purchase_order_confirm(po.document_id, at)
        po_lines = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
        t0 = time.perf_counter()
        for i in range(n):
            await receipts.goods_receipt_post(
                po.document_id,
                [receipts.ReceiptLineInput(ln.id, Decimal(10), f"L{tag}{i}", wh) for ln in po_lines],
                at,
            )
        receipts_per_s = n / (time.perf_counter() - t0)
        so = await sales.sales_order_create(
            "C001", wh, [OrderLineInput(c, Decimal(n * 5), unit_price=Decimal(9)) for c in codes]
        )
        await sales.sales_order_confirm(so.document_id, at)
        so_lines = await SalesOrderLine.filter(order_id=so.document_id).order_by("id")
        t0 = time.perf_counter()
        for _ in range(n):
            await shipments.shipment_post(
                so.document_id, [shipments.ShipmentLineInput(ln.id, Decimal(5)) for ln in so_lines], at
            )
        shipments_per_s = n / (time.perf_counter() - t0)
        return receipts_per_s, shipments_per_s
    finally:
        for k, v in saved.items():
            setattr(finance, k, v)


async def main(n_lines: int, n_postings: int) -> None:
    async with fresh_database("lotline_bench_fin") as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            await seed_chart()
            await bulk_lines(n_lines)
            await timed(
                "trial balance, one year",
                lambda: reports.trial_balance(date(2026, 1, 1), date(2026, 12, 31)),
            )
            await timed(
                "trial balance, one month", lambda: reports.trial_balance(date(2026, 3, 1), date(2026, 3, 31))
            )
            await timed(
                "general ledger 1405, one month (opening + lines)",
                lambda: reports.general_ledger("1405", date(2026, 3, 1), date(2026, 3, 31)),
            )
            await timed(
                "ageing receivables (50k invoices, 200 customers)",
                lambda: reports.ageing("customer", date(2026, 6, 30)),
            )
            await timed(
                "ageing payables (50k bills, 200 suppliers)",
                lambda: reports.ageing("supplier", date(2026, 6, 30)),
            )
            # Warm-up, then each mode twice in alternation so neither benefits from a warmer cache.
            await postings(20, True, "w")
            results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
            for round_ in range(2):
                for mode in (False, True):
                    results[mode].append(await postings(n_postings, mode, f"{round_}{int(mode)}"))
            for mode in (False, True):
                r = statistics.mean(x[0] for x in results[mode])
                s = statistics.mean(x[1] for x in results[mode])
                label = "with finance   " if mode else "without finance"
                print(f"{label}: {r:6.1f} receipts/s  {s:6.1f} shipments/s  (5 lines each, one client)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--postings", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.lines, args.postings))
