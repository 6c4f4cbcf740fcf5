"""The expiry scan on the stock-page data set: how long a first scan takes (lots expiring, alerts and
proposals to write) and an idempotent second one (nothing to add), on PostgreSQL.

    python -m bench.bench_expiry --skus 2000      # 2,000 SKUs × 3 warehouses × 5 lots
"""

import argparse
import asyncio
import time
from datetime import UTC, datetime

import asyncpg
from tortoise.context import TortoiseContext

from bench import stock_dataset
from bench.harness import fresh_database
from domain.expiry import services
from domain.inventory import consistency
from domain.inventory import services as inventory
from domain.inventory.models import Location, Warehouse
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config


async def _date_lots(url: str, expired_every: int, best_before_every: int) -> tuple[int, int]:
    """Backdates one lot in ``expired_every`` past its expiry and gives one in ``best_before_every`` a
    best-before date 2 days ahead; returns how many of each."""
    conn = await asyncpg.connect(url)
    try:
        expired = await conn.execute(
            "UPDATE batch SET expiry_date = CURRENT_DATE - 2 WHERE id % $1 = 0", expired_every
        )
        near = await conn.execute(
            "UPDATE batch SET best_before_date = CURRENT_DATE + 2 WHERE id % $1 = 1", best_before_every
        )
        return int(expired.split()[-1]), int(near.split()[-1])
    finally:
        await conn.close()


async def main(skus: int, expired_every: int, best_before_every: int) -> None:
    async with fresh_database() as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            for code in ("W1", "W2", "W3"):
                await inventory.create_warehouse(code, f"Expiry bench warehouse {code}")
            whs = [
                (w.id, (await Location.get(code=w.code)).id)
                for w in await Warehouse.filter(code__in=["W1", "W2", "W3"])
            ]
            await stock_dataset.load(url, skus, whs, 5)
            expired, near = await _date_lots(url, expired_every, best_before_every)
            lots = skus * len(whs) * 5
            print(f"{lots} lots on hand; {expired} past their expiry date, {near} best before in 2 days")
            for label in ("first scan", "second scan (idempotent)"):
                started = time.perf_counter()
                result = await services.expiry_scan(datetime.now(UTC))
                seconds = time.perf_counter() - started
                print(
                    f"{label}: {seconds:.2f} s — {result.batches_expired} lots expired, "
                    f"{result.alerts_raised} alerts, {result.proposals_made} proposals"
                )
            diffs = await consistency.check_consistency(datetime.now(UTC))
            print(f"lotline check after the scans: {len(diffs)} differences")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=2000)
    parser.add_argument("--expired-every", type=int, default=50)
    parser.add_argument("--best-before-every", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.skus, args.expired_every, args.best_before_every))
