"""In-process profile of one provenance page build of a 601-event batch: where the milliseconds go.

``python -m bench.profile_provenance [--events 600] [--builds 5] [--pyinstrument]``

The same world as ``bench.bench_provenance`` (a fresh PostgreSQL database and Anvil, one received lot with
``--events`` cold-chain readings, all anchored and confirmed), then ``provenance_of`` called directly with
the chain configured: prints milliseconds per build (cold, then warm) and, with ``--pyinstrument``, a call
profile of the warm builds.
"""

import argparse
import asyncio
import time
from datetime import UTC, datetime

from bench.bench_provenance import make_batch
from bench.harness import fresh_database
from chain import anvil
from chain.client import AnchorRegistryClient
from domain.provenance import services as provenance
from lotline.chainview import roots_for
from lotline.cli import database, run_migrations
from lotline.config import Settings
from workers.anchoring import Anchorer, AnchoringConfig


async def main(readings: int, builds: int, profile: bool) -> None:
    node = anvil.Anvil.start()
    try:
        async with fresh_database("lotline_prof_prov") as url:
            settings = Settings(database_url=url)
            await run_migrations(settings)
            registry = await AnchorRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05)
            async with database(settings), registry:
                code = await make_batch(readings)

                async def connect() -> AnchorRegistryClient:
                    return await AnchorRegistryClient.connect(
                        node.url, registry.address, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05
                    )

                worker = Anchorer(connect, AnchoringConfig(min_events=1, max_wait_seconds=0), confirmations=1)
                while (await worker.run_round(force=True)).events_claimed:
                    pass
                await worker.close()
                chain = Settings(
                    database_url=url, chain_rpc_url=node.url, chain_contract_address=registry.address
                )
                roots = roots_for(chain)
                started = time.perf_counter()
                page = await provenance.provenance_of(code, datetime.now(UTC), roots)
                assert page is not None
                print(f"cold build: {1000 * (time.perf_counter() - started):.0f} ms, state {page.state}")
                profiler = None
                if profile:
                    from pyinstrument import Profiler

                    profiler = Profiler(async_mode="enabled")
                    profiler.start()
                started = time.perf_counter()
                for _ in range(builds):
                    await provenance.provenance_of(code, datetime.now(UTC), roots)
                elapsed = (time.perf_counter() - started) / builds
                if profiler is not None:
                    profiler.stop()
                    print(profiler.output_text(unicode=True, color=False, show_all=False))
                print(f"warm build: {1000 * elapsed:.0f} ms per build ({builds} builds)")
    finally:
        node.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--builds", type=int, default=5)
    parser.add_argument("--pyinstrument", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.events, args.builds, args.pyinstrument))
