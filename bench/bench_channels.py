"""Platform orders end to end over HTTP: push → sales order → stock pushed back, on PostgreSQL + Redis.

    python -m bench.bench_channels [--orders 300] [--clients 16] [--workers 2]

Starts the platform simulator (uvicorn, in this process), the API (uvicorn, one process) and ``--workers``
``lotline worker`` processes on a fresh database and the test Redis; sends ``--orders`` signed new-order
pushes (Ele.me and Meituan alternately) from ``--clients`` concurrent senders, then reports:
- ingestion: orders per second from the first push sent to the last sales order committed;
- stock-push latency: from a sales order's commit to the first stock update a platform store receives after it
  (both stores), p50 and p99.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal

import uvicorn

from bench.harness import ROOT, free_port, fresh_database, secret_key
from domain.catalog import rules as catalog_rules
from domain.catalog import services as catalog
from domain.channels import services as channels
from domain.channels.models import ChannelOrder
from domain.inventory import services as inventory
from domain.partners import services as partners
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.sales.models import SalesOrder
from lotline.cli import database, run_migrations
from lotline.config import Settings
from lotline.platform_sim import Item, PlatformSim

REDIS = os.environ.get("LOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def setup(settings: Settings) -> None:
    await inventory.create_warehouse("WH", "bench")
    await inventory.create_location("WH", "WH/A", "bin A")
    await partners.create_supplier("SUP", "bench supplier")
    await partners.create_customer("CUS", "platform consumers")
    await catalog.create_sku(
        catalog.SkuInput(
            code="TEA",
            name_zh="柠檬茶",
            name_en="Lemon tea",
            base_unit="pcs",
            purchase_unit="pcs",
            sales_unit="pcs",
            units=[catalog_rules.UnitDef("pcs", Decimal(1))],
        )
    )
    po = await purchasing.purchase_order_create(
        "SUP", "WH", [catalog.OrderLineInput("TEA", Decimal(100000), "pcs", Decimal(2))]
    )
    await purchasing.purchase_order_confirm(po.document_id, datetime.now(UTC))
    line = await PurchaseOrderLine.get(order_id=po.document_id)
    await receipts.goods_receipt_post(
        po.document_id,
        [receipts.ReceiptLineInput(line.id, Decimal(100000), "LOT1", "WH/A")],
        datetime.now(UTC),
    )
    await channels.channel_create("ELM", "饿了么", "eleme", "WH", "CUS", "150000001")
    await channels.channel_create("MT", "美团", "meituan", "WH", "CUS", "POI1")
    await channels.sku_mapping_set("ELM", "1001", "TEA")
    await channels.sku_mapping_set("MT", "TEA-1", "TEA")


async def main(orders: int, clients: int, workers: int) -> None:
    sim_port, api_port = free_port(), free_port()
    sim = PlatformSim(f"http://127.0.0.1:{api_port}", base_url=f"http://127.0.0.1:{sim_port}")
    sim.add_store("eleme", "150000001", "95784565", "bench-eleme-secret")
    sim.add_store("meituan", "POI1", "1235123121", "bench-mt-secret")
    sim_server = uvicorn.Server(uvicorn.Config(sim.app, host="127.0.0.1", port=sim_port, log_level="warning"))
    sim_task = asyncio.create_task(sim_server.serve())
    async with fresh_database("lotline_bench_channels") as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with database(settings):
            await setup(settings)
            env = {
                **os.environ,
                "LOTLINE_DATABASE_URL": url,
                "LOTLINE_SECRET_KEY": secret_key(),
                "LOTLINE_REDIS_URL": REDIS,
                "LOTLINE_PLATFORM_CREDENTIALS": json.dumps(sim.credentials()),
            }
            api = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "uvicorn",
                "api.app:create_app",
                "--factory",
                "--port",
                str(api_port),
                "--log-level",
                "warning",
                "--no-access-log",
                cwd=ROOT,
                env=env,
            )
            procs = [api] + [
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "lotline.cli",
                    "worker",
                    cwd=ROOT,
                    env=env,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
                for _ in range(workers)
            ]
            try:
                for _ in range(200):
                    try:
                        if (await sim.http.get(f"http://127.0.0.1:{api_port}/healthz")).status_code == 200:
                            break
                    except Exception:
                        pass
                    await asyncio.sleep(0.1)
                await asyncio.sleep(2)  # the workers' first sweep
                queue: asyncio.Queue[int] = asyncio.Queue()
                for n in range(orders):
                    queue.put_nowait(n)

                async def sender() -> None:
                    while not queue.empty():
                        n = queue.get_nowait()
                        if n % 2:
                            await sim.meituan_order("POI1", [Item("TEA-1", 1)])
                        else:
                            await sim.eleme_order("150000001", [Item("1001", 1)])

                started = time.time()
                await asyncio.gather(*(sender() for _ in range(clients)))
                sent = time.time()
                while await ChannelOrder.all().count() < orders:
                    if time.time() - sent > 300:
                        raise RuntimeError("orders were not all booked within 300 s")
                    await asyncio.sleep(0.2)
                await asyncio.sleep(3)  # the last stock pushes
                created = [o.created_at.timestamp() for o in await SalesOrder.all()]
                booked = max(created)
                latencies = []
                for t in created:
                    for store in sim.stores.values():
                        after = [u for u, _ in store.updates if u >= t]
                        if after:
                            latencies.append((min(after) - t) * 1000)
                latencies.sort()
                p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
                print(f"orders={orders} clients={clients} workers={workers}")
                print(f"push sending: {orders / (sent - started):.0f} pushes/s acknowledged")
                print(
                    f"ingestion end to end: {orders / (booked - started):.1f} orders/s "
                    f"({booked - started:.1f} s from first push to last sales order)"
                )
                print(
                    "stock-push latency after a sales order commits: "
                    f"p50 {statistics.median(latencies):.0f} ms, p99 {p99:.0f} ms ({len(latencies)} samples; "
                    f"{sum(s.stock_calls for s in sim.stores.values())} stock calls received)"
                )
            finally:
                for p in procs:
                    p.terminate()
                for p in procs:
                    await p.wait()
    sim_server.should_exit = True
    await sim_task
    await sim.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    a = parser.parse_args()
    asyncio.run(main(a.orders, a.clients, a.workers))
