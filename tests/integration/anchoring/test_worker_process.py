"""`lotline worker` as the deployment runs it: a real process on PostgreSQL, Redis and a chain node."""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from chain import anvil
from chain.client import AnchorRegistryClient
from domain.anchoring import services
from domain.trace.models import TraceEvent
from tests import factories
from tests.integration.anchoring.checks import assert_anchored_exactly_once

LOTLINE = Path(sys.executable).with_name("lotline")


@pytest.fixture
def worker_env(
    pg_url: str, redis_url: str, chain: anvil.Anvil, registry: AnchorRegistryClient
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTLINE_")}
    return env | {
        "LOTLINE_DATABASE_URL": pg_url,
        "LOTLINE_REDIS_URL": redis_url,
        "LOTLINE_CHAIN_RPC_URL": chain.url,
        "LOTLINE_CHAIN_PRIVATE_KEY": anvil.DEV_ACCOUNT_KEY,
        "LOTLINE_CHAIN_CONTRACT_ADDRESS": registry.address,
        "LOTLINE_ANCHOR_MIN_EVENTS": "1",
        "LOTLINE_ANCHOR_MAX_WAIT_SECONDS": "0",
        "LOTLINE_ANCHOR_TICK_SECONDS": "0.5",
        "LOTLINE_ANCHOR_POLL_INTERVAL": "0.05",
    }


@pytest.fixture
def worker(worker_env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    log = tempfile.TemporaryFile()  # noqa: SIM115 (read on failure, closed below)
    process = subprocess.Popen(
        [str(LOTLINE), "worker"], env=worker_env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
    )
    process.log = log  # type: ignore[attr-defined]
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()
    log.close()


def output_of(process: subprocess.Popen[bytes]) -> str:
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    return str(log.read().decode(errors="replace"))


async def post_receipts(count: int) -> list[int]:
    before = set(await TraceEvent.all().values_list("id", flat=True))
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    for _ in range(count):
        await factories.receive(await factories.make_sku(), wh, supplier, Decimal(7))
    return sorted(set(await TraceEvent.all().values_list("id", flat=True)) - before)  # type: ignore[arg-type]


async def test_the_worker_process_anchors_postings_and_stops_cleanly_on_sigterm(db, worker, registry):
    events = await post_receipts(3)
    assert len(events) >= 3

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert worker.poll() is None, output_of(worker)
        if all(s.anchored for s in (await services.anchor_status_of_events(events)).values()):
            break
        await asyncio.sleep(0.2)
    else:
        pytest.fail(f"events not anchored by the worker:\n{output_of(worker)}")
    await assert_anchored_exactly_once(events, registry)

    later = await post_receipts(1)  # still working: the next posting is anchored too
    deadline = time.monotonic() + 30
    while not all(s.anchored for s in (await services.anchor_status_of_events(later)).values()):
        assert time.monotonic() < deadline, output_of(worker)
        await asyncio.sleep(0.2)

    worker.send_signal(signal.SIGTERM)
    started = time.monotonic()
    code = await asyncio.to_thread(worker.wait, 10)
    assert code == 0, output_of(worker)
    assert time.monotonic() - started < 5
    assert "Traceback" not in output_of(worker)
