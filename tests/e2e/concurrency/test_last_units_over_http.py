"""Stock never goes negative when many HTTP clients compete for it (a real uvicorn process, PostgreSQL)."""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from api.relay import encode_id
from bench.harness import uvicorn_server
from domain.catalog import services as catalog
from domain.inventory import consistency
from domain.inventory import counts as stock_counts
from domain.inventory import services as inventory
from domain.inventory.models import Batch, StockMove, StockQuant
from domain.partners import services as partners
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.sales import services as sales
from domain.sales.models import SalesOrderLine

SHIP = """mutation($input: ShipmentPostInput!) { shipmentPost(input: $input) {
  __typename ... on UserError { errorCode: code message } } }"""
COUNT_POST = """mutation($input: StockCountPostInput!) { stockCountPost(input: $input) {
  __typename ... on UserError { errorCode: code message } } }"""


def code(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


@pytest.fixture(scope="module")
async def server(db: object, pg_url: str) -> AsyncIterator[str]:
    async with uvicorn_server(pg_url, pool_max=40) as base:
        yield base


async def admin_token() -> str:
    principal = await partners.create_user(code("ops").lower(), "correct-horse-battery", "admin")
    return await partners.issue_token(principal.user_id)


async def stock_of(units: int) -> tuple[str, str, str, int]:
    """A warehouse with one bin holding ``units`` of a new SKU in one batch; returns codes and batch id."""
    wh = await inventory.create_warehouse(code("WH"), "并发仓 race warehouse")
    bin_code = code("BIN")
    await inventory.create_location(wh.code, bin_code, "货位 bin")
    sku = await catalog.create_sku(
        catalog.SkuInput(code=code("SKU"), name_zh="鸡蛋", name_en="Eggs", base_unit="pcs")
    )
    supplier = await partners.create_supplier(code("SUP"), "供应商 supplier")
    await partners.create_customer(code("CUS"), "客户 customer")
    po = await purchasing.purchase_order_create(
        supplier.code, wh.code, [catalog.OrderLineInput(sku.code, Decimal(units), unit_price=Decimal(1))]
    )
    now = datetime.now(UTC)
    await purchasing.purchase_order_confirm(po.document_id, now)
    line = await PurchaseOrderLine.get(order_id=po.document_id)
    lot = code("LOT")
    await receipts.goods_receipt_post(
        po.document_id,
        [receipts.ReceiptLineInput(line.id, Decimal(units), lot, bin_code, production_date=now.date())],
        now,
    )
    batch = await Batch.get(sku_id=sku.id, lot_code=lot)
    return wh.code, bin_code, sku.code, batch.id


async def one_unit_orders(n: int, warehouse: str, sku: str) -> list[tuple[int, int]]:
    """``n`` confirmed sales orders of one unit each, confirmed before the race so none holds a reservation
    the others could not take: every shipment competes for the same free units."""
    customer = await partners.create_customer(code("CUS"), "客户 customer")
    orders = []
    for _ in range(n):
        line = catalog.OrderLineInput(sku, Decimal(1))
        so = await sales.sales_order_create(customer.code, warehouse, [line])
        orders.append((so.document_id, (await SalesOrderLine.get(order_id=so.document_id)).id))
    return orders


async def ship_all(base: str, token: str, orders: list[tuple[int, int]]) -> list[dict]:
    async with httpx.AsyncClient(
        base_url=base,
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
        limits=httpx.Limits(max_connections=len(orders)),
    ) as http:

        async def ship(order_id: int, line_id: int) -> dict:
            line = {"orderLineId": encode_id("SalesOrderLine", line_id), "quantity": "1"}
            variables = {"input": {"salesOrderId": encode_id("SalesOrder", order_id), "lines": [line]}}
            r = await http.post("/graphql", json={"query": SHIP, "variables": variables})
            assert r.status_code == 200, r.text
            return r.json()["data"]["shipmentPost"]

        return await asyncio.gather(*(ship(o, ln) for o, ln in orders))


async def on_hand(sku_code: str) -> Decimal:
    quants = await StockQuant.filter(sku__code=sku_code, location__kind="internal")
    assert all(q.quantity >= 0 for q in quants)
    return sum((q.quantity for q in quants), Decimal(0))


async def test_thirty_shipments_for_the_last_ten_units_ship_exactly_ten(server: str) -> None:
    warehouse, _, sku, _ = await stock_of(10)
    orders = await one_unit_orders(30, warehouse, sku)
    for order_id, _ in orders:
        await sales.sales_order_confirm(order_id, datetime.now(UTC))

    results = await ship_all(server, await admin_token(), orders)

    kinds = Counter(r["__typename"] for r in results)
    assert kinds == {"Posted": 10, "InsufficientStock": 20}
    assert {r["errorCode"] for r in results if r["__typename"] != "Posted"} == {"INSUFFICIENT_STOCK"}
    assert await on_hand(sku) == 0
    assert await StockMove.filter(sku__code=sku, doc_type="shipment").count() == 10
    assert await consistency.check_consistency() == []


async def test_a_count_posted_during_a_run_of_shipments_never_drives_stock_negative(server: str) -> None:
    warehouse, bin_code, sku, batch_id = await stock_of(10)
    orders = await one_unit_orders(12, warehouse, sku)
    for order_id, _ in orders:
        await sales.sales_order_confirm(order_id, datetime.now(UTC))
    token = await admin_token()
    count = await stock_counts.stock_count_start(warehouse, [bin_code])
    count_input = {
        "input": {
            "stockCountId": encode_id("StockCount", count.document_id),
            "lines": [{"locationCode": bin_code, "batchId": encode_id("Batch", batch_id), "counted": "4"}],
        }
    }

    async def post_count() -> dict:
        async with httpx.AsyncClient(base_url=server, headers={"Authorization": f"Bearer {token}"}) as http:
            r = await http.post("/graphql", json={"query": COUNT_POST, "variables": count_input})
            return r.json()["data"]["stockCountPost"]

    count_result, shipments = await asyncio.gather(post_count(), ship_all(server, token, orders))

    assert count_result["__typename"] == "Posted"
    kinds = Counter(r["__typename"] for r in shipments)
    # Shipments that came before the count met a frozen bin (ValidationError); after it, 4 units were there.
    assert set(kinds) <= {"Posted", "InsufficientStock", "ValidationError"}
    assert kinds["Posted"] <= 4
    assert await on_hand(sku) == 4 - kinds["Posted"]
    assert await consistency.check_consistency() == []
