"""Plays a year of a fresh-food distributor through the domain services: ``seed_demo(now)``.

Everything is posted by the same services the API calls, in the order a real business would (receipts in the
morning, shipments after, returns in the afternoon, counts at month end), with ``received_at``/``shipped_at``
in the past, so ledger, on-hand, reservations and valuation are what the application itself would hold.
The run is deterministic for a given ``now`` and ``seed``; reads (stock levels, document lines) go straight to
the models, writes only through services.
"""

import logging
import time as clock
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta

from tortoise import Tortoise

from domain.catalog.models import Sku
from domain.common import business_time
from domain.common.errors import Conflict, ValidationError
from domain.partners import services as partners
from domain.purchasing import services as purchasing
from domain.sales import services as sales
from lotline.demo import catalog_data as data
from lotline.demo import expiry, lowcode, production
from lotline.demo import progress as progress_bar
from lotline.demo.catalog_data import Delivery
from lotline.demo.channels import seed_channels
from lotline.demo.lowcode_flow import seed_lowcode_flow
from lotline.demo.master_data import MasterDataSeeder
from lotline.demo.purchases import PurchasingSeeder
from lotline.demo.replenishment import seed_replenishment
from lotline.demo.sales import SalesSeeder
from lotline.demo.state import AFTERNOON, DEFAULT_SEED, MORNING, SeedSummary, delivers
from lotline.demo.stock import StockSeeder

log = logging.getLogger(__name__)


async def seed_demo(
    now: datetime,
    *,
    weeks: int = 52,
    seed: int = DEFAULT_SEED,
    password: str | None = None,
    progress: progress_bar.Reporter = progress_bar.silent,
) -> SeedSummary:
    """Loads the demo data set: catalogue, warehouses, partners, users, and ``weeks`` of history to ``now``.

    Does nothing (``skipped``) when the demo is already loaded; refuses (``Conflict``) when a previous run
    stopped half-way, since its postings cannot be taken back: reset the database and run it again.
    Users get ``password`` if given, else each a random one (use ``lotline create-token`` to log in).
    ``progress(done, total, what)`` is called after each step (``lotline.demo.progress``).
    """
    if now.tzinfo is None:
        raise ValidationError("now must be timezone-aware", ("now",))
    if weeks < 1:
        raise ValidationError("weeks must be at least 1", ("weeks",))
    if await Sku.exists(code=data.FIRST_SKU_CODE):
        if await partners.user_exists("admin"):
            return SeedSummary(skipped=True)
        raise Conflict(
            "部分演示数据已存在（上次载入中断）/ demo data is partly loaded (an earlier run stopped): "
            "reset the database and seed again"
        )
    seeder = DemoSeeder(now.astimezone(UTC), weeks, seed, password)
    seeder.progress = progress
    started = clock.perf_counter()
    async with _fast_sqlite():
        await _seed_areas(seeder)
    seeder.summary.seconds = round(clock.perf_counter() - started, 2)
    log.info("%s", seeder.summary)
    return seeder.summary


async def _seed_areas(s: "DemoSeeder") -> None:
    """Every area of the demo, in order: each builds on what the ones before it left.

    A new area is a module ``lotline/demo/<area>.py`` with ``async def seed_<area>(s: SeedState) -> None``
    and one line below, after the year it builds on and before the admin. It draws from
    ``s.rng_for("<area>")``, never ``s.rng``, so the documents of the areas before it stay as they were.
    """
    total = s.steps()
    s.progress(0, total, "主数据 master data")
    await s.master_data()
    await s.users(include_admin=False)
    s.progress(1, total, "主数据 master data")
    await s.play_year()
    await s.open_documents()
    await seed_channels(s)
    # Production before the expiry area: its scan is the demo's last, so the lots production makes are
    # scanned too and a scheduled scan right after the seed finds nothing new.
    await production.seed_production(s)
    await expiry.seed_expiry(s)
    await seed_replenishment(s)
    await seed_lowcode_flow(s)
    await lowcode.seed_lowcode(s)
    await s.users(include_admin=True)  # last: the CLI takes the admin's presence to mean "seeded"
    s.progress(total, total, "完成 done")


class DemoSeeder(MasterDataSeeder, PurchasingSeeder, SalesSeeder, StockSeeder):
    """The whole demo: the areas' seeders together, played day by day."""

    async def day(self, day: date) -> None:
        """One business day: the morning's jobs, deliveries, transfers, customers' orders, the afternoon's
        jobs, and the counts on the last day of a month."""
        for _, job in [j for j in self.agenda.get(day, []) if j[0] == MORNING]:
            await job()
        # A warehouse's first day stocks it from every supplier; its customers start the day after.
        for sup in data.SUPPLIERS:
            for delivery in sup.deliveries:
                opens = self.opens[delivery.warehouse]
                if day == opens or (day > opens and delivers(delivery, day, self.first_day)):
                    await self.purchase(sup, delivery, day)
        for route in data.TRANSFER_ROUTES:
            opens = max(self.opens[route.source], self.opens[route.target])
            regular = delivers(
                Delivery(route.target, (route.weekday,), route.every_weeks), day, self.first_day
            )
            if day == opens or (day > opens and regular):
                await self.transfer(route, day)
        for c in data.CUSTOMERS:
            if day > self.opens[c.warehouse] and day.weekday() in c.weekdays:
                await self.sell(c, day)
        for _, job in [j for j in self.agenda.pop(day, []) if j[0] == AFTERNOON]:
            await job()
        if (day + timedelta(days=1)).month != day.month:
            for wh in data.WAREHOUSES:
                if day >= self.opens[wh.code]:
                    await self.count(wh.code, day)

    async def open_documents(self) -> None:
        """What a Monday morning looks like: orders on their way in, customers' orders waiting to ship."""
        today = business_time.business_today(self.now)
        for sup in data.SUPPLIERS:
            for delivery in sup.deliveries:
                due = self.next_delivery(delivery, self.last_day)
                if delivery.warehouse != "SH-DC" or (due - today).days > 3:
                    continue
                lines = await self.plan_purchase(sup, delivery, due)
                if not lines:
                    continue
                po = await purchasing.purchase_order_create(
                    sup.code, delivery.warehouse, lines, expected_date=due
                )
                if sup.code != "SUP-DRY":  # one stays a draft, waiting for the buyer
                    await purchasing.purchase_order_confirm(po.document_id, self.now)
                self.summary.open_purchase_orders += 1
        tomorrow = today + timedelta(days=1)
        for i, c in enumerate(data.CUSTOMERS):
            if tomorrow.weekday() not in c.weekdays:
                continue
            lines = self.plan_order(c, tomorrow)
            if not lines:
                continue
            so = await sales.sales_order_create(c.code, c.warehouse, lines, requested_date=tomorrow)
            if i % 3:  # some are confirmed (stock reserved), some still drafts
                await sales.sales_order_confirm(so.document_id, self.now)
            self.summary.open_sales_orders += 1

    def steps(self) -> int:
        """The steps ``progress`` counts: the master data, each of the days, the open documents."""
        return (self.last_day - self.first_day).days + 3

    async def play_year(self) -> None:
        """Every day from ``first_day`` to ``last_day``, in order; ``progress`` after each."""
        total = self.steps()
        day = self.first_day
        while day <= self.last_day:
            await self.day(day)
            self.progress((day - self.first_day).days + 2, total, day.isoformat())
            day += timedelta(days=1)


@asynccontextmanager
async def _fast_sqlite() -> AsyncIterator[None]:
    """On SQLite (WAL), commits skip the fsync while seeding: consistency is kept, and a power cut can only
    lose the last postings of a run that would be redone anyway. Restored afterwards."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect != "sqlite":
        yield
        return
    _, rows = await conn.execute_query("PRAGMA synchronous")
    before = int(rows[0][0]) if rows else 2
    await conn.execute_script("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        await conn.execute_script(f"PRAGMA synchronous={before}")
