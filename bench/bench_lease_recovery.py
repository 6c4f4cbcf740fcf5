"""Lease recovery: seconds from `kill -9` of a worker that claimed an anchor and had not sent it, to a second
worker recording that anchor on chain, with the default lease settings (``LOTLINE_ANCHOR_LEASE_SECONDS`` 15,
``..._HEARTBEAT_SECONDS`` 5, ``..._TICK_SECONDS`` 2). Real `lotline worker` processes on PostgreSQL, Redis
and Anvil; the drill itself is tests/integration/anchoring/crash_drill.py.

Run: .venv/bin/python -m bench.bench_lease_recovery [runs]
(PostgreSQL from LOTLINE_TEST_DATABASE_URL, Redis from LOTLINE_TEST_REDIS_URL; Anvil from npm)
"""

import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench.harness import fresh_database
from chain import anvil
from chain.client import AnchorRegistryClient
from lotline.cli import database, run_migrations
from lotline.config import Settings
from tests.integration.anchoring import crash_drill
from tests.integration.anchoring.conftest import _make_events
from workers.anchoring import AnchoringConfig

REDIS_URL = os.environ.get("LOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def main(runs: int) -> None:
    config = AnchoringConfig()
    print(
        f"{os.cpu_count()} cpus; lease {config.lease_seconds:g} s, heartbeat {config.heartbeat_seconds:g} s, "
        f"tick {config.tick_seconds:g} s"
    )
    print(f"{'run':>4} {'kill -> resumed s':>18} {'lease left at kill s':>21}")
    figures = []
    async with fresh_database() as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with database(settings):
            for run in range(1, runs + 1):
                with tempfile.TemporaryDirectory() as tmp, anvil.Anvil.start() as node:
                    client = await AnchorRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY)
                    async with client:
                        events = await _make_events(5)
                        env = crash_drill.worker_env(
                            url, REDIS_URL, node.url, client.address, anvil.DEV_ACCOUNT_KEY
                        )
                        drill = await crash_drill.run_drill(env, node.url, events, Path(tmp), renewals=1)
                figures.append(drill.seconds_to_resume)
                assert drill.submitted_at is not None  # the drill returns once B has submitted
                left = drill.seconds_to_resume - (drill.submitted_at - drill.lease_at_kill).total_seconds()
                print(f"{run:>4} {drill.seconds_to_resume:>18.1f} {left:>21.1f}")
    print(
        f"kill -> resumed: min {min(figures):.1f} s, median {statistics.median(figures):.1f} s, "
        f"max {max(figures):.1f} s (bound: lease + tick + send)"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
