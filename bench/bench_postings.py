"""Postings and stock pages via GraphQL over HTTP on PostgreSQL, against raw asyncpg doing the same writes.

    python -m bench.bench_postings [--clients 16] [--ops 40] [--skus 10000]

Prints receipts/s and shipments/s (5 lines each) with p50/p99, stock-on-hand pages of 100 rows over
SKUs × 3 warehouses × 5 batches, and the raw-asyncpg rates for the same writes. Not a test: figures only.
"""

import argparse
import asyncio
import random
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
from tortoise.context import TortoiseContext

from api.relay import encode_id
from bench import raw_baseline, stock_dataset
from bench.harness import Figures, fresh_database, graphql_client, run_clients, uvicorn_server
from domain.catalog import services as catalog
from domain.common.services import Posted
from domain.finance.models import Account
from domain.inventory import consistency
from domain.inventory import services as inventory
from domain.inventory.models import Location, Warehouse
from domain.partners import services as partners
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.sales import services as sales
from domain.sales.models import SalesOrderLine
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config

LINES = 5

RECEIPT = """mutation($input: GoodsReceiptPostInput!) { goodsReceiptPost(input: $input) {
  __typename ... on Posted { number } ... on UserError { code message } } }"""
SHIPMENT = """mutation($input: ShipmentPostInput!) { shipmentPost(input: $input) {
  __typename ... on Posted { number } ... on UserError { code message } } }"""
# The fields a stock screen shows; GraphQL time grows with resolved fields, so this is the honest page.
STOCK_PAGE = """query($after: String) { stockOnHand(first: 100, after: $after) {
  edges { node { status sku { code } location { code } batch { lotCode }
                 quantity { value unit } available { value unit } } }
  pageInfo { endCursor hasNextPage } } }"""


async def setup_orders(clients: int, ops: int) -> dict[str, list]:
    """Per client: 5 SKUs of its own (no lock contention between clients), a PO and an SO of 5 lines."""
    now = datetime.now(UTC)
    await partners.create_supplier("BS", "Bench supplier")
    await partners.create_customer("BC", "Bench customer")
    await inventory.create_warehouse("BW", "Bench warehouse")
    plan: dict[str, list] = {"po": [], "so": [], "po_lines": [], "so_lines": []}
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


async def bench_http(base: str, token: str, plan: dict[str, list], clients: int, ops: int) -> list[Figures]:
    async with graphql_client(base, token, clients * 2, seconds=60) as call:

        async def gql(query: str, variables: dict) -> dict:
            status, body = await call(query, variables)
            if status != 200:
                raise RuntimeError(f"HTTP {status}: {body}")
            return body

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
            return body.get("data", {}).get("goodsReceiptPost", {}).get("__typename") == "Posted"

        async def shipment(c: int, i: int) -> bool:
            so: Posted = plan["so"][c]
            lines = [
                {"orderLineId": encode_id("SalesOrderLine", ln.id), "quantity": "1"}
                for ln in plan["so_lines"][c]
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
            return body.get("data", {}).get("shipmentPost", {}).get("__typename") == "Posted"

        receipts = await run_clients("HTTP goods receipts (5 lines)", clients, ops, receipt)
        await confirm_sales(plan)
        shipments = await run_clients("HTTP shipments (5 lines)", clients, ops, shipment)

        cursors: list[str | None] = [None]
        page = await gql(STOCK_PAGE, {"after": None})
        for _ in range(30):  # collect cursors to jump around the data set
            info = page["data"]["stockOnHand"]["pageInfo"]
            cursors.append(info["endCursor"])
            page = await gql(STOCK_PAGE, {"after": info["endCursor"]})
        rnd = random.Random(7)

        async def stock_page(c: int, i: int) -> bool:
            body = await gql(STOCK_PAGE, {"after": rnd.choice(cursors)})
            return len(body["data"]["stockOnHand"]["edges"]) == 100

        pages = await run_clients("HTTP stock-on-hand pages (100 rows)", clients, ops, stock_page)
    return [receipts, shipments, pages]


async def confirm_sales(plan: dict[str, list]) -> None:
    now = datetime.now(UTC)
    for so in plan["so"]:
        await sales.sales_order_confirm(so.document_id, now)


async def bench_raw(dsn: str, plan: dict[str, list], clients: int, ops: int) -> list[Figures]:
    """Raw asyncpg, stock writes only, then with every write of the API's posting (``raw_trail``)."""
    pool = await asyncpg.create_pool(dsn, min_size=clients, max_size=clients)
    wh = await Warehouse.get(code="BW")
    loc = await Location.get(code="BW")
    supplier_loc = (await inventory.virtual_location(inventory.Kind.SUPPLIER)).id
    customer_loc = (await inventory.virtual_location(inventory.Kind.CUSTOMER)).id
    accounts = {a.code: a.id for a in await Account.filter(code__in=["1405", "220201", "5401"])}
    receipt_accounts = (accounts["1405"], accounts["220201"])  # inventory against GR/IR
    shipment_accounts = (accounts["5401"], accounts["1405"])  # cost of sales against inventory
    figures = []
    for label, full in (("stock writes only", False), ("every write of the posting", True)):

        async def receipt(c: int, i: int, full: bool = full) -> bool:
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

        async def shipment(c: int, i: int, full: bool = full) -> bool:
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

        figures.append(await run_clients(f"raw asyncpg receipts, {label}", clients, ops, receipt))
        figures.append(await run_clients(f"raw asyncpg shipments, {label}", clients, ops, shipment))
    await pool.close()
    return figures


async def main(clients: int, ops: int, skus: int, workers: int) -> None:
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
            user = await partners.create_user("bench", "bench-password-1", "admin")
            token = await partners.issue_token(user.user_id, "bench")
            async with uvicorn_server(url, workers=workers) as base:
                figures = await bench_http(base, token, plan, clients, ops)
            figures += await bench_raw(url, plan, clients, ops)
            print(f"clients: {clients}, ops per client: {ops}, uvicorn workers: {workers}")
            for f in figures:
                print(f.line())
            http_r, http_s = figures[0], figures[1]
            stock_r, stock_s, raw_r, raw_s = figures[3:7]
            print(
                f"receipts: API at {http_r.rate / raw_r.rate:.2f} of raw asyncpg with the same writes "
                f"({http_r.rate / stock_r.rate:.2f} of its stock writes alone); "
                f"shipments: {http_s.rate / raw_s.rate:.2f} ({http_s.rate / stock_s.rate:.2f})"
            )
            diffs = await consistency.check_consistency()
            print(f"consistency check after the run: {len(diffs)} differences")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--ops", type=int, default=40)
    parser.add_argument("--skus", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.ops, args.skus, args.workers))
