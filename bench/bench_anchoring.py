"""Anchoring end to end: N pending trace events -> claimed, tree built, proofs stored, root sent to Anvil,
confirmed. Events are inserted beforehand (posting cost is bench_postings' business).

Run: .venv/bin/python -m bench.bench_anchoring   (PostgreSQL from LOTLINE_TEST_DATABASE_URL; Anvil from npm)
"""

import asyncio
import hashlib
import os
import time
import uuid
from datetime import UTC, datetime

from bench.harness import fresh_database
from chain import anvil
from chain.client import AnchorRegistryClient
from domain.anchoring import services
from domain.trace.models import TraceEvent
from lotline.cli import database, run_migrations
from lotline.config import Settings
from workers.anchoring import Anchorer, AnchoringConfig

SIZES = (100, 1_000, 10_000, 50_000)


async def _insert_events(n: int) -> None:
    now = datetime.now(UTC)
    rows = []
    for _ in range(n):
        canonical = f'{{"eventID":"{uuid.uuid4().hex}","type":"ObjectEvent"}}'
        rows.append(
            TraceEvent(
                event_id=uuid.uuid4().hex,
                event_type="ObjectEvent",
                event_time=now,
                body={},
                canonical=canonical,
                leaf=hashlib.sha256(canonical.encode()).hexdigest(),
            )
        )
    await TraceEvent.bulk_create(rows, batch_size=2000)


async def main() -> None:
    print(f"{os.cpu_count()} cpus; one worker, one root per round (max_events = N)")
    print(f"{'events':>8} {'claim+tree+proofs s':>20} {'send+confirm s':>15} {'total s':>8} {'events/s':>9}")
    async with fresh_database() as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        with anvil.Anvil.start() as node:
            registry = await AnchorRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY, poll_interval=0.02)
            await registry.close()
            async with database(settings):
                for n in SIZES:
                    await _insert_events(n)
                    config = AnchoringConfig(
                        min_events=1,
                        max_wait_seconds=0,
                        max_events=n,
                        lease_seconds=0,
                        poll_interval=0.02,
                    )

                    async def connect() -> AnchorRegistryClient:
                        return await AnchorRegistryClient.connect(
                            node.url, registry.address, anvil.DEV_ACCOUNT_KEY, poll_interval=0.02
                        )

                    worker = Anchorer(connect, config)
                    await worker.client()  # connection set up outside the timing
                    t0 = time.perf_counter()
                    claimed = await services.claim_pending(n, chain_id=31337, contract=registry.address)
                    t1 = time.perf_counter()
                    assert claimed is not None
                    assert claimed.leaf_count == n
                    result = await worker.run_round()
                    t2 = time.perf_counter()
                    assert (result.anchors_sent, result.confirmed) == (1, 1), result
                    await worker.close()
                    total = t2 - t0
                    print(f"{n:>8,} {t1 - t0:>20.2f} {t2 - t1:>15.2f} {total:>8.2f} {n / total:>9,.0f}")


if __name__ == "__main__":
    asyncio.run(main())
