"""The data-health report with the books-vs-ledger check on the stock-page data set: how long the check
(`lotline check`'s list), the staff report (8 weeks, every supplier) and an alert scan take, on PostgreSQL;
and a view (staff report, a supplier's scorecard) before the list was stored (the report ran the check)
and after (``domain.health.snapshot``: the stored list while fresh, one computation when stale).

    python -m bench.bench_health --skus 2000      # 2,000 SKUs × 3 warehouses × 5 lots
"""

import argparse
import asyncio
import time
from datetime import UTC, datetime

from tortoise.context import TortoiseContext

from bench import stock_dataset
from bench.harness import fresh_database
from domain.health import alerts, books, services, snapshot
from domain.health.models import LedgerSnapshot
from domain.partners.models import Supplier
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config


async def main(skus: int) -> None:
    async with fresh_database() as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            lots = await stock_dataset.load_into_warehouses(url, skus, "Health bench warehouse")
            print(f"{lots} lots on hand")
            now = datetime.now(UTC)
            # the data set's lots have no supplier: the scorecard's cost is the report of one, filtered
            supplier = (await Supplier.create(code="BENCH-SUP", name="Bench supplier")).id
            await snapshot.refresh()  # untimed: so "before" below is the check plus the rest of the report

            async def before_view() -> services.Report:
                # what a view cost before the list was stored: the check, then the report
                await books.books_vs_ledger(now)
                return await services.report(now, 8)

            async def stale_view() -> services.Report:
                await LedgerSnapshot.all().delete()
                return await services.report(now, 8)

            for label, work in (
                ("books vs ledger (lotline check's list)", lambda: books.books_vs_ledger(now)),
                ("staff view before (check + report)", before_view),
                ("staff view, no snapshot yet (computes once)", stale_view),
                ("staff view, snapshot fresh", lambda: services.report(now, 8)),
                ("staff view, snapshot fresh, again", lambda: services.report(now, 8)),
                ("supplier scorecard, snapshot fresh", lambda: services.report(now, 8, supplier)),
                ("refresh (scan / button / dataHealthRefresh)", snapshot.refresh),
                ("alert scan, first (refresh + report)", lambda: alerts.alerts_raise(now)),
                ("alert scan, second (idempotent)", lambda: alerts.alerts_raise(now)),
            ):
                started = time.perf_counter()
                result = await work()
                seconds = time.perf_counter() - started
                if isinstance(result, list):
                    what = f"{len(result)} disagreements"
                elif isinstance(result, snapshot.Snapshot):
                    what = f"{len(result.disagreements)} disagreements stored"
                elif isinstance(result, services.Report):
                    what = f"{len(result.values)} values, {len(result.disagreements)} disagreements"
                else:
                    what = f"{result.new} new alerts"
                print(f"{label}: {seconds:.2f} s ({what})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skus", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.skus))
