"""The public provenance page of a 601-event batch under 16 concurrent phones: size and latency.

A fresh PostgreSQL database and Anvil; one lot received (a real posting) and 600 cold-chain readings recorded
about it (each a stored, chained trace event), all anchored and confirmed by the worker; then uvicorn serving
the page with the chain configured, so every request re-hashes the 601 events, follows their proofs to roots
read from the chain (cached 30 s) and walks the lot's chain. Prints the page size and p50/p99 per request.

Run: .venv/bin/python -m bench.bench_provenance [--clients 16] [--requests 20] [--events 600]
    [--cache 0 10] [--fingerprints 20]
(PostgreSQL from LOTLINE_TEST_DATABASE_URL; Anvil and solc from contracts_solidity/node_modules.)
"""

import argparse
import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import aiohttp
import httpx

from bench.harness import ROOT, free_port, fresh_database, run_clients, secret_key
from chain import anvil
from chain.client import AnchorRegistryClient
from domain.catalog import services as catalog
from domain.inventory import services as inventory
from domain.inventory.models import Batch
from domain.partners import services as partners
from domain.provenance import fingerprint
from domain.provenance import services as provenance
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.trace import builders, identifiers, recording
from lotline.cli import database, run_migrations
from lotline.config import Settings
from workers.anchoring import Anchorer, AnchoringConfig

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


async def make_batch(readings: int) -> str:
    """A received lot with ``readings`` cold-chain events after its receipt; its public code."""
    sku = await catalog.create_sku(
        catalog.SkuInput(code="BENCH-BLU", name_zh="高原蓝莓", name_en="Highland blueberries", base_unit="kg")
    )
    await inventory.create_warehouse("BENCH-WH", "仓库 BENCH")
    await inventory.create_location("BENCH-WH", "BENCH-WH/A", "bin A")
    supplier = await partners.create_supplier("BENCH-SUP", "云南高原果蔬合作社")
    order = await purchasing.purchase_order_create(
        supplier.code, "BENCH-WH", [catalog.OrderLineInput(sku.code, Decimal(500), "kg", Decimal(12))]
    )
    await purchasing.purchase_order_confirm(order.document_id, START)
    line = await PurchaseOrderLine.get(order_id=order.document_id)
    await receipts.goods_receipt_post(
        order.document_id,
        [receipts.ReceiptLineInput(line.id, Decimal(500), "LOT-601", "BENCH-WH/A")],
        START,
    )
    batch = await Batch.get(sku_id=sku.id, lot_code="LOT-601")
    lot = identifiers.ProductLot(sku.code, batch.lot_code, sku.gtin)
    for i in range(readings):
        event = builders.object_event(
            event_time=START + timedelta(minutes=30 * (i + 1)),
            action=builders.Action.OBSERVE,
            biz_step="storing",
            read_point=recording.place("BENCH-WH"),
            quantities=[identifiers.QuantityLine(lot, Decimal(500), "kg")],
            sensor_readings=[identifiers.SensorReading("temperature", Decimal("3.5") + Decimal(i % 10) / 10)],
        )
        link = recording.LotLink(batch.id, lot.epc_class, "object", Decimal(500))
        await recording.store_event(event, doc_type="sensor", doc_id=None, links=[link])
    return await provenance.public_code_for(batch.id)


@asynccontextmanager
async def server(database_url: str) -> AsyncIterator[str]:
    """uvicorn as ``bench.harness.uvicorn_server`` starts it, with patience for a loaded machine (2 min)."""
    port = free_port()
    env = {
        **os.environ,
        "LOTLINE_DATABASE_URL": database_url,
        "LOTLINE_DB_POOL_MAX": "10",
        "LOTLINE_SECRET_KEY": secret_key(),
    }
    args = ["-m", "uvicorn", "api.app:create_app", "--factory", "--port", str(port), "--log-level", "warning"]
    proc = await asyncio.create_subprocess_exec(sys.executable, *args, "--no-access-log", cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(1200):
                try:
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), timeout=20)


async def measure(url: str, code: str, clients: int, requests: int, cache: str) -> None:
    os.environ["LOTLINE_PROVENANCE_PAGE_CACHE_SECONDS"] = cache
    # aiohttp, not httpx, generates the load: httpx spent ~4.5 ms of client CPU per page here
    # (encode/httpx#3215) on the same two cores as the server, so its figures carried the client's own
    # work (stop 14, bench/README.md). httpx still reads the first page.
    connector = aiohttp.TCPConnector(limit=clients)
    async with (
        server(url) as base,
        httpx.AsyncClient(timeout=120) as http,
        aiohttp.ClientSession(base, connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as session,
    ):
        first = await http.get(f"{base}/p/{code}")
        html = first.text
        verified = "every record verified" if "全部记录已上链验证" in html else "NOT verified"
        shown = html.count("✓ 已上链验证")
        print(f"page: {len(first.content):,} bytes, {shown} steps shown verified, batch: {verified}")

        async def op(client: int, i: int) -> bool:
            async with session.get(f"/p/{code}") as response:
                body = await response.read()
                return response.status == 200 and len(body) == len(first.content)

        # Warm-up, not counted: one concurrent round opens the clients' HTTP connections and the server's
        # database connections, so the figures are the steady state rather than 16 connection set-ups.
        await asyncio.gather(*(op(c, -1) for c in range(clients)))

        label = "no page cache" if cache == "0" else f"page cache {cache} s"
        print((await run_clients(f"provenance page, 601 events, {label}", clients, requests, op)).line())


async def measure_fingerprint(code: str, clients: int, calls: int) -> None:
    """The page cache's unchanged-check alone (``fingerprint.page_fingerprint``), ``clients`` at a time, in
    this process: what every cached request pays before it is served."""
    if await fingerprint.page_fingerprint(code) is None:
        raise SystemExit("no fingerprint for the bench batch")

    async def op(client: int, i: int) -> bool:
        return await fingerprint.page_fingerprint(code) is not None

    print((await run_clients("page fingerprint (unchanged-check), 601 events", clients, calls, op)).line())


async def main(clients: int, requests: int, readings: int, phases: list[str], fingerprints: int = 0) -> None:
    node = anvil.Anvil.start()
    try:
        async with fresh_database("lotline_bench_prov") as url:
            settings = Settings(database_url=url)
            await run_migrations(settings)
            registry = await AnchorRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05)
            async with database(settings), registry:
                code = await make_batch(readings)

                async def connect() -> AnchorRegistryClient:
                    return await AnchorRegistryClient.connect(
                        node.url, registry.address, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05
                    )

                config = AnchoringConfig(min_events=1, max_wait_seconds=0, poll_interval=0.05)
                worker = Anchorer(connect, config, confirmations=1)
                started = time.perf_counter()
                while (await worker.run_round(force=True)).events_claimed:
                    pass
                await worker.close()
                print(f"anchored {readings + 1} events in {time.perf_counter() - started:.1f} s")
                if fingerprints:
                    await measure_fingerprint(code, clients, fingerprints)
            os.environ["LOTLINE_CHAIN_RPC_URL"] = node.url
            os.environ["LOTLINE_CHAIN_CONTRACT_ADDRESS"] = registry.address
            for cache in phases:  # "0": every request verifies from scratch; "10": reused while unchanged
                await measure(url, code, clients, requests, cache)
    finally:
        node.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--events", type=int, default=600, help="cold-chain readings after the receipt")
    parser.add_argument("--cache", nargs="+", default=["0", "10"], help="page cache seconds to measure")
    parser.add_argument("--fingerprints", type=int, default=0, help="also time N unchanged-checks a client")
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.requests, args.events, args.cache, args.fingerprints))
