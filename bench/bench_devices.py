"""Handhelds: pick-task dispatch latency to connected devices, and offline sync replay throughput.

    python -m bench.bench_devices [--devices 50] [--tasks 100] [--sync-devices 10] [--ops 1000]

Dispatch: ``--devices`` handhelds hold a graphql-transport-ws subscription on a uvicorn API process; this
process creates ``--tasks`` pick tasks one after another through the service (each commits, NOTIFY) and
measures, per device and task, from the commit returning to the task's arrival on the socket.
Sync: ``--sync-devices`` devices each push ``--ops`` pick confirmations (batches of 50) and then the same
batches again (a replay after a lost answer); reports operations applied per second and checks the ledger:
exactly one shipment move per line, nothing applied twice.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from asyncio.subprocess import PIPE
from datetime import UTC, datetime
from decimal import Decimal

from bench.harness import ROOT, SERVER_PIDS, cpu_seconds, fresh_database, uvicorn_server
from domain.catalog import rules as catalog_rules
from domain.catalog import services as catalog
from domain.devices import sync, tasks
from domain.devices.models import Device, DeviceOperation, PickLine
from domain.inventory import services as inventory
from domain.inventory.consistency import check_consistency
from domain.inventory.models import StockMove
from domain.partners import services as partners
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.sales import services as sales
from lotline.cli import database, run_migrations
from lotline.config import Settings


async def stock(skus: int, per_sku: int) -> list[str]:
    await inventory.create_warehouse("WH", "bench")
    await inventory.create_location("WH", "WH/A", "bin A")
    await partners.create_supplier("SUP", "bench")
    await partners.create_customer("CUS", "bench")
    codes = [f"S{i:04d}" for i in range(skus)]
    for c in codes:
        await catalog.create_sku(
            catalog.SkuInput(
                code=c,
                name_zh=c,
                name_en=c,
                base_unit="pcs",
                purchase_unit="pcs",
                sales_unit="pcs",
                units=[catalog_rules.UnitDef("pcs", Decimal(1))],
            )
        )
    now = datetime.now(UTC)
    po = await purchasing.purchase_order_create(
        "SUP", "WH", [catalog.OrderLineInput(c, Decimal(per_sku), "pcs", Decimal(1)) for c in codes]
    )
    await purchasing.purchase_order_confirm(po.document_id, now)
    lines = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
    await receipts.goods_receipt_post(
        po.document_id,
        [receipts.ReceiptLineInput(ln.id, Decimal(per_sku), "LOT1", "WH/A") for ln in lines],
        now,
    )
    return codes


async def order_task(codes: list[str]) -> int:
    now = datetime.now(UTC)
    so = await sales.sales_order_create(
        "CUS", "WH", [catalog.OrderLineInput(c, Decimal(1), "pcs", Decimal(2)) for c in codes]
    )
    await sales.sales_order_confirm(so.document_id, now)
    return (await tasks.pick_task_create(so.document_id, now)).document_id


async def dispatch(url: str, base: str, devices: int, n_tasks: int, codes: list[str]) -> None:
    port, server_pid = int(base.rsplit(":", 1)[1]), SERVER_PIDS[base]
    users = []
    for i in range(devices):
        p = await partners.create_user(f"picker{i}", "correct-horse-battery", "warehouse")
        d = await sync.device_register(f"HH{i}", "WH", p.user_id)
        users.append((await partners.issue_token(p.user_id), d.code))
    handhelds = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.handhelds", stdin=PIPE, stdout=PIPE, cwd=ROOT, limit=1 << 26
    )
    assert handhelds.stdin is not None
    assert handhelds.stdout is not None
    handhelds.stdin.write(json.dumps({"port": port, "devices": users, "tasks": n_tasks}).encode() + b"\n")
    await handhelds.stdin.drain()
    if (await asyncio.wait_for(handhelds.stdout.readline(), 120)).strip() != b"ready":
        raise SystemExit("the handhelds did not subscribe")
    await asyncio.sleep(1)
    cpu_before = cpu_seconds(server_pid)
    committed: dict[int, float] = {}
    for _ in range(n_tasks):
        task_id = await order_task(codes[:1])
        committed[task_id] = time.perf_counter()
        await asyncio.sleep(0.02)
    arrivals = json.loads(await asyncio.wait_for(handhelds.stdout.readline(), 300))
    server_cpu = cpu_seconds(server_pid) - cpu_before
    await handhelds.wait()
    lat = sorted((at - committed[task]) * 1000 for task, at in arrivals)
    print(
        f"dispatch: {devices} devices x {n_tasks} tasks: p50 {statistics.median(lat):.1f} ms, "
        f"p99 {lat[int(len(lat) * 0.99) - 1]:.1f} ms, max {lat[-1]:.1f} ms ({len(lat)} deliveries); "
        f"server CPU {server_cpu * 1e6 / len(lat):.0f} µs per delivery",
        flush=True,
    )


async def replay(devices: int, ops: int, codes: list[str]) -> None:
    dev_rows = []
    for i in range(devices):
        p = await partners.create_user(f"syncer{i}", "correct-horse-battery", "warehouse")
        device = await sync.device_register(f"SY{i}", "WH", p.user_id)
        # An order has at most 500 lines: 1,000 operations are two orders' pick tasks.
        task_ids = [await order_task(codes[: min(500, ops - k)]) for k in range(0, ops, 500)]
        lines = await PickLine.filter(task_id__in=task_ids).order_by("id")
        batch = [
            sync.OperationInput(
                n + 1,
                "pick_confirm",
                {"lineId": ln.id, "binCode": "WH/A", "lotCode": "LOT1", "quantity": "1"},
            )
            for n, ln in enumerate(lines)
        ]
        dev_rows.append((device, batch))
    moves_before = await StockMove.all().count()

    async def push(device: Device, batch: list[sync.OperationInput]) -> int:
        applied = 0
        for round_ in range(2):  # the replay after a lost answer
            for k in range(0, len(batch), 50):
                results = await sync.operations_push(device, batch[k : k + 50], datetime.now(UTC))
                applied += sum(r.status == "applied" for r in results) if round_ == 0 else 0
        return applied

    started = time.perf_counter()
    applied = sum(await asyncio.gather(*(push(d, b) for d, b in dev_rows)))
    seconds = time.perf_counter() - started
    moves = await StockMove.all().count() - moves_before
    differences = await check_consistency()  # on-hand, valuation, reservations rebuilt from the ledger
    applied_rows = await DeviceOperation.filter(status="applied", device__code__startswith="SY").count()
    print(
        f"sync replay: {devices} devices x {ops} ops, each sent twice: {applied} applied in {seconds:.1f} s "
        f"({2 * devices * ops / seconds:.0f} ops/s received, {applied / seconds:.0f} applied/s); "
        f"ledger: {moves} new moves for {devices * ops} lines (ok: {moves == devices * ops}); "
        f"{applied_rows} operations recorded applied; read models vs ledger: {len(differences)} differences",
        flush=True,
    )


async def main(a: argparse.Namespace) -> None:
    async with fresh_database("lotline_bench_devices") as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with database(settings):
            codes = await stock(min(max(a.ops, 1), 500), 10 * (a.tasks + a.sync_devices + 1))
            if not a.skip_dispatch:
                # Served as `lotline serve` runs it; waits for /healthz (a fixed sleep raced a slow start).
                async with uvicorn_server(url) as base:
                    print(f"load average before dispatch: {os.getloadavg()}", flush=True)
                    await dispatch(url, base, a.devices, a.tasks, codes)
            print(f"load average before replay: {os.getloadavg()}", flush=True)
            await replay(a.sync_devices, a.ops, codes)
            print(f"load average after: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--devices", type=int, default=50)
    p.add_argument("--tasks", type=int, default=100)
    p.add_argument("--sync-devices", type=int, default=10)
    p.add_argument("--ops", type=int, default=1000)
    p.add_argument("--skip-dispatch", action="store_true")
    asyncio.run(main(p.parse_args()))
