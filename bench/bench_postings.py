"""Postings and stock pages via GraphQL over HTTP on PostgreSQL, against raw asyncpg doing the same writes.

    python -m bench.bench_postings [--clients 16] [--ops 40] [--skus 10000] [--workers 1] [--warm 300]
                                   [--rounds 4]

Prints receipts/s and shipments/s (5 lines each) with p50/p99, stock-on-hand pages of 100 rows over
SKUs × 3 warehouses × 5 batches, and the raw-asyncpg rates for the same writes. Not a test: figures only.

Both sides start from a business already running: ``--warm`` receipts and shipments are posted through the
services on an order of their own, then the database is analysed, before the server starts. Started on
empty document tables, the API's pooled connections kept the plans
PostgreSQL made for them while empty — sequential scans of the journal, receipts, trace events and
idempotency keys in every foreign-key check and lookup, growing with each posting — while the raw side,
connecting later, planned against full tables (stop 15, bench/README.md).

The API, raw asyncpg with every write and raw asyncpg with the stock writes alone then alternate in
``--rounds`` rounds of ``--ops / --rounds`` postings per client, receipts first, so both sides meet the same
minutes of a shared machine; each round's ratio is printed with the merged figures. The sales orders are
confirmed before any stock arrives: both sides ship free stock, FEFO.
"""

import argparse
import asyncio
import collections
import random
import statistics
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import asyncpg
from tortoise import connections
from tortoise.context import TortoiseContext

from api.relay import encode_id
from bench import raw_baseline, stock_dataset
from bench.harness import Figures, fresh_database, graphql_client, merged, run_clients, uvicorn_server
from domain.catalog import services as catalog
from domain.common.services import Posted
from domain.finance.models import Account
from domain.inventory import consistency
from domain.inventory import services as inventory
from domain.inventory.models import Location, Warehouse
from domain.partners import services as partners
from domain.purchasing import receipts as goods_receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.sales import services as sales
from domain.sales import shipments as sales_shipments
from domain.sales.models import SalesOrderLine
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config

LINES = 5
Op = Callable[[int, int], Awaitable[bool]]  # (client, posting number) -> success
RawOp = Callable[[int, int, bool], Awaitable[bool]]  # … and whether with every write

RECEIPT = """mutation($input: GoodsReceiptPostInput!) { goodsReceiptPost(input: $input) {
  __typename ... on Posted { number } ... on UserError { code message } } }"""
SHIPMENT = """mutation($input: ShipmentPostInput!) { shipmentPost(input: $input) {
  __typename ... on Posted { number } ... on UserError { code message } } }"""
# The fields a stock screen shows; GraphQL time grows with resolved fields, so this is the honest page.
STOCK_PAGE = """query($after: String) { stockOnHand(first: 100, after: $after) {
  edges { node { status sku { code } location { code } batch { lotCode }
                 quantity { value unit } available { value unit } } }
  pageInfo { endCursor hasNextPage } } }"""


async def setup_orders(clients: int, ops: int) -> dict[str, list[Any]]:
    """Per client: 5 SKUs of its own (no lock contention between clients), a PO and an SO of 5 lines."""
    now = datetime.now(UTC)
    await partners.create_supplier("BS", "Bench supplier")
    await partners.create_customer("BC", "Bench customer")
    await inventory.create_warehouse("BW", "Bench warehouse")
    plan: dict[str, list[Any]] = {"po": [], "so": [], "po_lines": [], "so_lines": []}
    for c in range(clients):
        codes = [f"B{c:02d}-{i}" for i in range(LINES)]
        for code in codes:
            await catalog.create_sku(catalog.SkuInput(code=code, name_zh=code, name_en=code, base_unit="kg"))
        big = Decimal(ops * 10)
        po = await purchasing.purchase_order_create(
            "BS", "BW", [catalog.OrderLineInput(code, big, unit_price=Decimal("3.5")) for code in codes]
        )
        await purchasing.purchase_order_confirm(po.document_id, now)
        so = await sales.sales_order_create(
            "BC", "BW", [catalog.OrderLineInput(code, big, unit_price=Decimal(6)) for code in codes]
        )
        plan["po"].append(po)
        plan["so"].append(so)
        plan["po_lines"].append(await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id"))
        plan["so_lines"].append(await SalesOrderLine.filter(order_id=so.document_id).order_by("id"))
    return plan


def api_ops(call: Any, plan: dict[str, list[Any]]) -> tuple[Op, Op, Op]:
    """The API's receipt and shipment of client ``c``'s ``i``-th posting, and a stock page, over HTTP."""

    async def gql(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        status, body = await call(query, variables)
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {body}")
        return dict(body)

    async def receipt(c: int, i: int) -> bool:
        po: Posted = plan["po"][c]
        lines = [
            {
                "orderLineId": encode_id("PurchaseOrderLine", ln.id),
                "quantity": "3",
                "lotCode": f"L{c}-{i}-{n}",
                "locationCode": "BW",
                "productionDate": datetime.now(UTC).date().isoformat(),
            }
            for n, ln in enumerate(plan["po_lines"][c])
        ]
        body = await gql(
            RECEIPT,
            {
                "input": {
                    "purchaseOrderId": encode_id("PurchaseOrder", po.document_id),
                    "lines": lines,
                    "idempotencyKey": str(uuid.uuid4()),
                }
            },
        )
        return bool(body.get("data", {}).get("goodsReceiptPost", {}).get("__typename") == "Posted")

    async def shipment(c: int, i: int) -> bool:
        so: Posted = plan["so"][c]
        lines = [
            {"orderLineId": encode_id("SalesOrderLine", ln.id), "quantity": "1"} for ln in plan["so_lines"][c]
        ]
        body = await gql(
            SHIPMENT,
            {
                "input": {
                    "salesOrderId": encode_id("SalesOrder", so.document_id),
                    "lines": lines,
                    "idempotencyKey": str(uuid.uuid4()),
                }
            },
        )
        return bool(body.get("data", {}).get("shipmentPost", {}).get("__typename") == "Posted")

    cursors: list[str | None] = [None]
    rnd = random.Random(7)

    async def stock_page(c: int, i: int) -> bool:
        if c < 0:  # called once before the run: collect cursors to jump around the data set
            page = await gql(STOCK_PAGE, {"after": None})
            for _ in range(30):
                info = page["data"]["stockOnHand"]["pageInfo"]
                cursors.append(info["endCursor"])
                page = await gql(STOCK_PAGE, {"after": info["endCursor"]})
            return True
        body = await gql(STOCK_PAGE, {"after": rnd.choice(cursors)})
        return len(body["data"]["stockOnHand"]["edges"]) == 100

    return receipt, shipment, stock_page


async def bench(
    base: str, token: str, dsn: str, plan: dict[str, list[Any]], clients: int, ops: int, rounds: int
) -> tuple[list[Figures], dict[str, list[tuple[float, float]]]]:
    """Receipts, then shipments: ``rounds`` times the API, raw asyncpg with every write, raw with the stock
    writes only, each ``clients`` × ``ops // rounds``, back to back; then stock pages. The figures merged
    per side, and per kind each round's (API, raw with every write) rates, per second."""
    per_round = max(1, ops // rounds)
    pool = await asyncpg.create_pool(dsn, min_size=clients, max_size=clients)
    raw_receipt, raw_shipment = await raw_ops(pool, plan)
    parts: dict[str, list[Figures]] = collections.defaultdict(list)
    ratios: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)  # (API, raw) per round
    try:
        async with graphql_client(base, token, clients * 2, seconds=60) as call:
            api_receipt, api_shipment, stock_page = api_ops(call, plan)
            for kind, api, raw in (
                ("goods receipts", api_receipt, raw_receipt),
                ("shipments", api_shipment, raw_shipment),
            ):
                for r in range(rounds):
                    at = r * per_round  # each round's postings get their own lot codes and keys

                    async def api_op(c: int, i: int, api: Op = api, at: int = at) -> bool:
                        return await api(c, at + i)

                    async def full_op(c: int, i: int, raw: RawOp = raw, at: int = at) -> bool:
                        return await raw(c, at + i, True)

                    async def stock_op(c: int, i: int, raw: RawOp = raw, at: int = at) -> bool:
                        return await raw(c, at + i, False)

                    api_f = await run_clients(f"HTTP {kind}", clients, per_round, api_op)
                    full_f = await run_clients(f"raw {kind}, every write", clients, per_round, full_op)
                    parts[f"HTTP {kind} (5 lines)"].append(api_f)
                    parts[f"raw asyncpg {kind}, every write of the posting"].append(full_f)
                    parts[f"raw asyncpg {kind}, stock writes only"].append(
                        await run_clients(f"raw {kind}, stock writes", clients, per_round, stock_op)
                    )
                    ratios[kind].append((api_f.rate, full_f.rate))
            await stock_page(-1, 0)
            parts["HTTP stock-on-hand pages (100 rows)"].append(
                await run_clients("HTTP stock-on-hand pages", clients, ops, stock_page)
            )
    finally:
        await pool.close()
    figures = [merged(name, found) for name, found in parts.items()]
    return figures, ratios


async def warm_up(postings: int) -> None:
    """``postings`` five-line receipts and shipments through the services (a supplier, customer and SKUs of
    their own), then ``ANALYZE``: the document, journal, trace and key tables hold rows and statistics."""
    now = datetime.now(UTC)
    await partners.create_supplier("WS", "Warm-up supplier")
    await partners.create_customer("WC", "Warm-up customer")
    codes = [f"WU-{i}" for i in range(LINES)]
    for code in codes:
        await catalog.create_sku(catalog.SkuInput(code=code, name_zh=code, name_en=code, base_unit="kg"))
    big = Decimal(postings * 10)
    po = await purchasing.purchase_order_create(
        "WS", "BW", [catalog.OrderLineInput(c, big, unit_price=Decimal("3.5")) for c in codes]
    )
    await purchasing.purchase_order_confirm(po.document_id, now)
    po_lines = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
    for n in range(postings):
        await goods_receipts.goods_receipt_post(
            po.document_id,
            [
                goods_receipts.ReceiptLineInput(ln.id, Decimal(2), f"WU{n}-{i}", "BW")
                for i, ln in enumerate(po_lines)
            ],
            now,
            key=f"warm-receipt-{n}",
        )
    so = await sales.sales_order_create(
        "WC", "BW", [catalog.OrderLineInput(c, big, unit_price=Decimal(6)) for c in codes]
    )
    await sales.sales_order_confirm(so.document_id, now)
    so_lines = await SalesOrderLine.filter(order_id=so.document_id).order_by("id")
    for n in range(postings):
        await sales_shipments.shipment_post(
            so.document_id,
            [sales_shipments.ShipmentLineInput(ln.id, Decimal(1)) for ln in so_lines],
            now,
            key=f"warm-shipment-{n}",
        )
    await analyze()


async def analyze() -> None:
    await connections.get("default").execute_script("ANALYZE")


async def confirm_sales(plan: dict[str, list[Any]]) -> None:
    now = datetime.now(UTC)
    for so in plan["so"]:
        await sales.sales_order_confirm(so.document_id, now)


async def raw_ops(pool: asyncpg.Pool, plan: dict[str, list[Any]]) -> tuple[RawOp, RawOp]:
    """Raw asyncpg's receipt and shipment of client ``c``'s ``i``-th posting: the stock writes only, or
    with every write of the API's posting (``full``: ``raw_trail``)."""
    wh = await Warehouse.get(code="BW")
    loc = await Location.get(code="BW")
    supplier_loc = (await inventory.virtual_location(inventory.Kind.SUPPLIER)).id
    customer_loc = (await inventory.virtual_location(inventory.Kind.CUSTOMER)).id
    accounts = {a.code: a.id for a in await Account.filter(code__in=["1405", "220201", "5401"])}
    receipt_accounts = (accounts["1405"], accounts["220201"])  # inventory against GR/IR
    shipment_accounts = (accounts["5401"], accounts["1405"])  # cost of sales against inventory

    async def receipt(c: int, i: int, full: bool) -> bool:
        async with pool.acquire() as conn:
            lines = [(ln.id, ln.sku_id) for ln in plan["po_lines"][c]]
            await raw_baseline.receipt(
                conn,
                plan["po"][c].document_id,
                wh.id,
                loc.id,
                supplier_loc,
                lines,
                f"R{int(full)}-{c}-{i}",
                receipt_accounts if full else None,
            )
        return True

    async def shipment(c: int, i: int, full: bool) -> bool:
        async with pool.acquire() as conn:
            lines = [(ln.id, ln.sku_id) for ln in plan["so_lines"][c]]
            await raw_baseline.shipment(
                conn,
                plan["so"][c].document_id,
                wh.id,
                customer_loc,
                lines,
                shipment_accounts if full else None,
            )
        return True

    return receipt, shipment


async def main(clients: int, ops: int, skus: int, workers: int, warm: int, rounds: int) -> None:
    async with fresh_database() as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            for code in ("W1", "W2", "W3"):
                await inventory.create_warehouse(code, f"Stock page warehouse {code}")
            whs = [
                (w.id, (await Location.get(code=w.code)).id)
                for w in await Warehouse.filter(code__in=["W1", "W2", "W3"])
            ]
            await stock_dataset.load(url, skus, whs, 5)
            print(
                f"loaded {skus} SKUs x {len(whs)} warehouses x 5 batches = {skus * len(whs) * 5} stock rows"
            )
            plan = await setup_orders(clients, ops)
            # Confirmed before any stock arrives, so nothing is reserved: the API and raw asyncpg both ship
            # from free stock, FEFO. (Confirmed after the receipts, the orders reserved all of it and raw
            # asyncpg, which skips reserved stock, found nothing to ship: a floor that did no work.)
            await confirm_sales(plan)
            await warm_up(warm)
            user = await partners.create_user("bench", "bench-password-1", "admin")
            token = await partners.issue_token(user.user_id, "bench")
            async with uvicorn_server(url, workers=workers) as base:
                figures, ratios = await bench(base, token, url, plan, clients, ops, rounds)
            print(
                f"clients: {clients}, ops per client: {ops} in {rounds} alternating rounds, "
                f"uvicorn workers: {workers}, warm-up: {warm}"
            )
            for f in figures:
                print(f.line())
            by_name = {f.name: f for f in figures}
            for kind in ("goods receipts", "shipments"):
                api = by_name[f"HTTP {kind} (5 lines)"]
                full = by_name[f"raw asyncpg {kind}, every write of the posting"]
                stock = by_name[f"raw asyncpg {kind}, stock writes only"]
                each = [a / r for a, r in ratios[kind]]
                rounds_text = ", ".join(f"{x:.2f}" for x in each)
                rates = ", ".join(f"{a:.0f}/{r:.0f}" for a, r in ratios[kind])
                print(
                    f"{kind}: API at {api.rate / full.rate:.2f} of raw asyncpg with the same writes "
                    f"(rounds: {rounds_text}; median {statistics.median(each):.2f}; API/raw per s: {rates}), "
                    f"{api.rate / stock.rate:.2f} of its stock writes alone"
                )
            diffs = await consistency.check_consistency()
            print(f"consistency check after the run: {len(diffs)} differences")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--ops", type=int, default=40)
    parser.add_argument("--skus", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--warm", type=int, default=300, help="postings of each kind before measuring")
    parser.add_argument("--rounds", type=int, default=4, help="API and raw alternate this many times")
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.ops, args.skus, args.workers, args.warm, args.rounds))
