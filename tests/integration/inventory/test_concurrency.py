"""Concurrent postings on real PostgreSQL: the SKU row lock makes overselling impossible.

Each posting runs in its own transaction on its own pooled connection. ``LockWatcher`` reads
``pg_stat_activity`` from a separate connection while they run, to prove they really overlapped and
waited on each other's row locks rather than running one after another by accident.
"""

import asyncio
from decimal import Decimal

import asyncpg

from domain.common.errors import InsufficientStock, ValidationError
from domain.common.services import Posted
from domain.inventory import consistency
from domain.inventory import counts as stock_counts
from domain.inventory.models import StockCount, StockMove, StockQuant
from domain.sales import shipments
from domain.sales.models import Shipment
from tests import factories
from tests.factories import NOW, days


class LockWatcher:
    """Records the most transactions open at once, and the most waiting on a lock, in the test database."""

    def __init__(self, url: str) -> None:
        self.dsn = "postgres://" + url.split("://", 1)[1]
        self.most_in_transaction = 0
        self.most_waiting_on_locks = 0

    async def __aenter__(self) -> "LockWatcher":
        self.conn = await asyncpg.connect(self.dsn)
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(self._watch())
        return self

    async def _watch(self) -> None:
        while not self.stop.is_set():
            row = await self.conn.fetchrow(
                """SELECT count(*) FILTER (WHERE xact_start IS NOT NULL) AS open,
                          count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting
                   FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"""
            )
            self.most_in_transaction = max(self.most_in_transaction, row["open"])
            self.most_waiting_on_locks = max(self.most_waiting_on_locks, row["waiting"])
            await asyncio.sleep(0.001)

    async def __aexit__(self, *exc: object) -> None:
        self.stop.set()
        await self.task
        await self.conn.close()


def ship_one(order: factories.OrderRef):
    return shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(1))], NOW)


async def assert_no_negative_stock(sku) -> None:
    quants = await StockQuant.filter(sku_id=sku.id)
    assert all(q.quantity >= 0 and 0 <= q.reserved <= q.quantity for q in quants)


async def test_thirty_concurrent_shipments_for_the_last_ten_units_ship_exactly_ten(db, pg_url):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    # Confirmed before any stock exists: nothing is reserved, all thirty compete for the same units.
    orders = [await factories.make_sales_order(customer, wh, sku, Decimal(1)) for _ in range(30)]
    await factories.receive(sku, wh, supplier, Decimal(6), expiry_date=days(5))
    await factories.receive(sku, wh, supplier, Decimal(4), expiry_date=days(9), location_code=wh.bins[1])
    assert (await factories.on_hand(sku), await factories.reserved(sku)) == (Decimal(10), 0)

    async with LockWatcher(pg_url) as watcher:
        results = await asyncio.gather(*(ship_one(o) for o in orders), return_exceptions=True)

    shipped = [r for r in results if isinstance(r, Posted)]
    refused = [r for r in results if isinstance(r, InsufficientStock)]
    assert (len(shipped), len(refused)) == (10, 20), [r for r in results if not isinstance(r, Posted)][:3]
    assert all([(s.requested, s.available) for s in r.shortages] == [(1, 0)] for r in refused)
    assert watcher.most_in_transaction >= 10, vars(watcher)  # the pool holds up to 20 connections
    assert watcher.most_waiting_on_locks >= 5, vars(watcher)
    assert await factories.on_hand(sku, status=None) == 0
    assert await factories.valuation(sku) == (0, 0, 0)
    assert await Shipment.filter(order_id__in=[o.id for o in orders]).count() == 10
    assert await StockMove.filter(sku_id=sku.id, doc_type="shipment").count() == 10
    await assert_no_negative_stock(sku)
    assert await consistency.check_consistency() == []


async def test_a_count_posted_while_shipments_run_never_loses_or_double_counts_stock(db, pg_url):
    """Bin A is frozen and counted (10 on the books, 7 found) while twelve orders of 1 kg ship. FEFO sends
    the first two to bin B's earlier lot; the rest reach bin A, which ships only once the count is posted
    and then holds 7: each shipment either ships, meets the frozen bin, or finds nothing left."""
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    orders = [await factories.make_sales_order(customer, wh, sku, Decimal(1)) for _ in range(12)]
    counted = await factories.receive(
        sku, wh, supplier, Decimal(10), unit_cost=Decimal(10), expiry_date=days(20)
    )
    await factories.receive(
        sku, wh, supplier, Decimal(2), unit_cost=Decimal(16), expiry_date=days(5), location_code=wh.bins[1]
    )
    count = await stock_counts.stock_count_start(wh.code, [wh.bins[0]])
    post_count = stock_counts.stock_count_post(
        count.document_id, [stock_counts.CountedLine(wh.bins[0], counted.batch_id, Decimal(7))], NOW
    )

    async with LockWatcher(pg_url) as watcher:
        results = await asyncio.gather(
            *(ship_one(o) for o in orders[:6]),
            post_count,
            *(ship_one(o) for o in orders[6:]),
            return_exceptions=True,
        )

    count_result, outcomes = results[6], results[:6] + results[7:]
    assert isinstance(count_result, Posted), count_result
    shipped = [r for r in outcomes if isinstance(r, Posted)]
    frozen = [r for r in outcomes if isinstance(r, ValidationError)]
    short = [r for r in outcomes if isinstance(r, InsufficientStock)]
    assert len(shipped) + len(frozen) + len(short) == 12, outcomes
    assert 2 <= len(shipped) <= 9
    assert all(r.message == f"location {wh.bins[0]} is frozen by a stock count" for r in frozen)
    assert watcher.most_in_transaction >= 5, vars(watcher)
    assert watcher.most_waiting_on_locks >= 3, vars(watcher)
    # 12 received, 3 lost at the count (nothing could leave the frozen bin), 1 kg per shipment.
    assert await factories.on_hand(sku, status=None) == Decimal(9 - len(shipped))
    assert await factories.on_hand(sku, wh.bins[1]) == 0
    assert (await factories.valuation(sku))[0] == Decimal(9 - len(shipped))
    assert (await StockCount.get(id=count.document_id)).status == "posted"
    await assert_no_negative_stock(sku)
    assert await consistency.check_consistency() == []
