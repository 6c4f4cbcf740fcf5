"""In-process profile of the two hot postings: SQL statements and milliseconds per five-line document.

``python -m bench.profile_postings [--ops 50] [--statements] [--pyinstrument receipt|shipment]``

A fresh PostgreSQL database (``LOTLINE_TEST_DATABASE_URL``), the services called directly (no HTTP, one
client): a goods receipt of five lines into new lots, then a shipment of one unit on each of five order
lines (reserved stock first, then FEFO). Statements are counted from Tortoise's query log on one warm
posting; ``--statements`` prints them grouped by their first words, ``--pyinstrument`` a call profile.
"""

import argparse
import asyncio
import collections
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

from tortoise.context import TortoiseContext

from bench.harness import fresh_database
from domain.catalog import services as catalog
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

LINES = 5


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: collections.Counter[str] = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.statements[" ".join(record.getMessage().split())[:70]] += 1


async def _count(one: Callable[[], Awaitable[None]]) -> _Counter:
    counter = _Counter()
    log = logging.getLogger("tortoise.db_client")
    level = log.level
    log.setLevel(logging.DEBUG)
    log.addHandler(counter)
    try:
        await one()
    finally:
        log.removeHandler(counter)
        log.setLevel(level)
    return counter


async def _measure(
    name: str, one: Callable[[], Awaitable[None]], ops: int, show: bool, profile: bool
) -> None:
    await one()  # warm: first-use seeding (chart, virtual locations) is not what we measure
    counter = await _count(one)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(ops):
        await one()
    ms = (time.perf_counter() - started) * 1000 / ops
    # This process's CPU (Python: ORM, rules, hashing, asyncpg) apart from the database's: what one
    # uvicorn worker spends per posting, and less sensitive than wall time to a shared machine's load.
    cpu_ms = (time.process_time() - cpu) * 1000 / ops
    print(
        f"{name}: {sum(counter.statements.values())} statements, {ms:.1f} ms per posting, "
        f"{cpu_ms:.1f} ms CPU of this process ({ops} postings)"
    )
    if show:
        for text, n in counter.statements.most_common():
            print(f"  {n:3d}  {text}")
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(async_mode="enabled")
        profiler.start()
        for _ in range(ops):
            await one()
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))


async def main(ops: int, show: bool, profile: str | None) -> None:
    async with fresh_database("lotline_prof") as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            await partners.create_supplier("S", "S")
            await partners.create_customer("C", "C")
            await inventory.create_warehouse("W", "W")
            codes = [f"K{i}" for i in range(LINES)]
            for c in codes:
                await catalog.create_sku(catalog.SkuInput(code=c, name_zh=c, name_en=c, base_unit="kg"))
            now = datetime.now(UTC)
            po = await purchasing.purchase_order_create(
                "S",
                "W",
                [catalog.OrderLineInput(c, Decimal(10_000_000), unit_price=Decimal("3.5")) for c in codes],
            )
            await purchasing.purchase_order_confirm(po.document_id, now)
            po_lines = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
            n = 0

            async def receipt() -> None:
                nonlocal n
                n += 1
                await receipts.goods_receipt_post(
                    po.document_id,
                    [
                        receipts.ReceiptLineInput(
                            ln.id, Decimal(100), f"L{n}-{i}", "W", production_date=now.date()
                        )
                        for i, ln in enumerate(po_lines)
                    ],
                    datetime.now(UTC),
                    key=f"receipt-{n}",
                )

            await _measure("goods receipt (5 lines)", receipt, ops, show, profile == "receipt")

            so = await sales.sales_order_create(
                "C",
                "W",
                [catalog.OrderLineInput(c, Decimal(1_000_000), unit_price=Decimal(6)) for c in codes],
            )
            await sales.sales_order_confirm(so.document_id, now)
            so_lines = await SalesOrderLine.filter(order_id=so.document_id).order_by("id")

            async def shipment() -> None:
                nonlocal n
                n += 1
                await shipments.shipment_post(
                    so.document_id,
                    [shipments.ShipmentLineInput(ln.id, Decimal(1)) for ln in so_lines],
                    datetime.now(UTC),
                    key=f"shipment-{n}",
                )

            await _measure("shipment (5 lines)", shipment, ops, show, profile == "shipment")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=50)
    parser.add_argument("--statements", action="store_true", help="print the statements of one posting")
    parser.add_argument("--pyinstrument", choices=["receipt", "shipment"], default=None)
    args = parser.parse_args()
    asyncio.run(main(args.ops, args.statements, args.pyinstrument))
