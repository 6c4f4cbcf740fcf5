"""Production postings in process on a fresh PostgreSQL database: a completion of a four-component salad
(FEFO picks, ledger, output lot, costing, entry through WIP, TransformationEvent with lineage) and a ranking
of substitute candidates, each timed over many runs.

    python -m bench.bench_production --completions 40 --rankings 40
"""

import argparse
import asyncio
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from tortoise.context import TortoiseContext

from bench.harness import fresh_database
from domain.inventory import consistency
from domain.production import completion, orders
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config
from tests.factories import NOW, TODAY, code
from tests.integration.production import world


def _line(label: str, ms: list[float]) -> str:
    p99 = sorted(ms)[max(0, int(len(ms) * 0.99) - 1)]
    return f"{label}: {len(ms)} runs, p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms"


async def main(completions: int, rankings: int) -> None:
    async with fresh_database() as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            w = await world.build()
            later = NOW + timedelta(hours=1)
            dressing = await orders.production_order_plan(w.dressing.code, w.wh.code, Decimal(2), TODAY, NOW)
            await orders.production_order_release(dressing.document_id, [], NOW)
            await completion.production_order_complete(
                dressing.document_id, Decimal(2), code("DR"), w.wh.bins[1], later
            )
            salad = await orders.production_order_plan(
                w.salad.code, w.wh.code, Decimal(completions), TODAY, NOW
            )
            await orders.production_order_release(salad.document_id, [], NOW)
            posted: list[float] = []
            for _ in range(completions):
                started = time.perf_counter()
                await completion.production_order_complete(
                    salad.document_id, Decimal(1), code("SAL"), w.wh.bins[1], later
                )
                posted.append((time.perf_counter() - started) * 1000)
            ranked: list[float] = []
            for _ in range(rankings):
                started = time.perf_counter()
                await orders.substitute_candidates(salad.document_id, w.lettuce_line, later)
                ranked.append((time.perf_counter() - started) * 1000)
            print(_line("salad completion (4 components, 1 output lot)", posted))
            print(_line("substitute ranking (1 declared candidate)", ranked))
            diffs = await consistency.check_consistency()
            print(f"lotline check after the run: {len(diffs)} differences")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--completions", type=int, default=40)
    parser.add_argument("--rankings", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(main(args.completions, args.rankings))
