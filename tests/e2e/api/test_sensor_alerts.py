"""Over HTTP: a SKU with a cold-chain range, a receipt and a shipment carrying readings, alerts and their
acknowledgement (QUALITY only)."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from strawberry import relay

from api.relay import encode_id
from domain.catalog.models import Sku
from domain.catalog.services import OrderLineInput
from domain.inventory import services as inventory
from domain.inventory.models import Batch
from domain.partners import services as partners
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.quality.models import BatchAlert
from domain.sales import services as sales
from domain.sales.models import SalesOrderLine
from domain.trace.models import TraceEvent
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code

SKU_CREATE = """mutation($input: SkuCreateInput!) { skuCreate(input: $input) {
  __typename ... on Sku { id temperatureMin temperatureMax humidityMax }
  ... on UserError { message path } } }"""

RECEIVE = """mutation($input: GoodsReceiptPostInput!) { goodsReceiptPost(input: $input) {
  __typename ... on Posted { documentId number } ... on UserError { message path code } } }"""

SHIP = """mutation($input: ShipmentPostInput!) { shipmentPost(input: $input) {
  __typename ... on Posted { documentId number } ... on UserError { message path code } } }"""

ALERTS = """query($batch: ID, $open: Boolean) { batchAlerts(batchId: $batch, open: $open) {
  totalCount nodes { id kind value limit unit deviceId documentType documentNumber acknowledgedBy
                     batch { lotCode } traceEvent { bizStep } } } }"""

ACK = """mutation($input: BatchAlertAcknowledgeInput!) { batchAlertAcknowledge(input: $input) {
  __typename ... on BatchAlert { acknowledgedAt acknowledgedBy note } ... on UserError { code message } } }"""


async def _chilled_sku(gql: Gql, token: str) -> tuple[str, int]:
    sku_code = code("SKU")
    body = await gql(
        SKU_CREATE,
        {
            "input": {
                "code": sku_code,
                "nameZh": "鲜牛奶",
                "nameEn": "Fresh milk",
                "baseUnit": "pcs",
                "temperatureMin": "0",
                "temperatureMax": "4",
                "humidityMax": "95",
            }
        },
        token=token,
    )
    created = body["data"]["skuCreate"]
    assert created["__typename"] == "Sku", created
    assert (created["temperatureMin"], created["temperatureMax"], created["humidityMax"]) == ("0", "4", "95")
    return sku_code, (await Sku.get(code=sku_code)).id


async def _order(sku_code: str) -> tuple[str, str, str]:
    """(purchase order ID, its line ID, the warehouse's code)."""
    wh = await inventory.create_warehouse(code("WH"), "冷库 cold store")
    supplier = await partners.create_supplier(code("SUP"), "牧场 dairy")
    posted = await purchasing.purchase_order_create(
        supplier.code, wh.code, [OrderLineInput(sku_code, Decimal(20), "pcs", Decimal("5.00"))]
    )
    await purchasing.purchase_order_confirm(posted.document_id, datetime.now(UTC))
    line = await PurchaseOrderLine.get(order_id=posted.document_id)
    return (
        encode_id("PurchaseOrder", posted.document_id),
        encode_id("PurchaseOrderLine", line.id),
        wh.code,
    )


def _receipt(po: str, line: str, wh: str, readings: list[dict[str, Any]]) -> dict[str, Any]:
    lot = {"orderLineId": line, "quantity": "20", "lotCode": code("LOT"), "locationCode": wh}
    return {"input": {"purchaseOrderId": po, "lines": [lot], "sensorReadings": readings}}


async def test_a_warm_receipt_raises_an_alert_the_quality_team_acknowledges(
    gql: Gql, admin: str, token_for: Callable[..., Awaitable[str]]
) -> None:
    sku_code, sku_id = await _chilled_sku(gql, admin)
    po, line, wh = await _order(sku_code)
    readings = [
        {"kind": "temperature", "value": "3.1", "time": "2030-06-03T08:00:00+08:00", "deviceId": "TRUCK-12"},
        {"kind": "temperature", "value": "8.4", "time": "2030-06-03T08:30:00+08:00", "deviceId": "TRUCK-12"},
    ]

    posted = (await gql(RECEIVE, _receipt(po, line, wh, readings), token=admin))["data"]["goodsReceiptPost"]

    assert posted["__typename"] == "Posted", posted
    batch = await Batch.get(sku_id=sku_id)
    [event] = await TraceEvent.filter(
        doc_type="goods_receipt", doc_id=int(relay.GlobalID.from_id(posted["documentId"]).node_id)
    )
    assert [r["value"] for r in event.body["sensorElementList"][0]["sensorReport"]] == [3.1, 8.4]
    listed = (await gql(ALERTS, {"batch": encode_id("Batch", batch.id), "open": True}, token=admin))["data"]
    [alert] = listed["batchAlerts"]["nodes"]
    assert listed["batchAlerts"]["totalCount"] == 1
    assert {k: alert[k] for k in ("kind", "value", "limit", "unit", "deviceId", "documentNumber")} == {
        "kind": "temperature_high",
        "value": "8.4",
        "limit": "4",
        "unit": "°C",
        "deviceId": "TRUCK-12",
        "documentNumber": posted["number"],
    }
    assert (alert["batch"]["lotCode"], alert["traceEvent"]["bizStep"]) == (batch.lot_code, "receiving")

    sales_token = await token_for("sales")
    refused = (await gql(ACK, {"input": {"alertId": alert["id"]}}, token=sales_token))["data"]
    assert refused["batchAlertAcknowledge"]["code"] == "FORBIDDEN"
    assert (await BatchAlert.get(batch_id=batch.id)).acknowledged_at is None

    username = code("qa").lower()
    qa = await partners.create_user(username, "correct-horse-battery", "warehouse")
    warehouse_token = await partners.issue_token(qa.user_id)
    done = (await gql(ACK, {"input": {"alertId": alert["id"], "note": "door"}}, token=warehouse_token))[
        "data"
    ]
    assert done["batchAlertAcknowledge"]["__typename"] == "BatchAlert", done
    assert (done["batchAlertAcknowledge"]["acknowledgedBy"], done["batchAlertAcknowledge"]["note"]) == (
        username,
        "door",
    )
    again = (await gql(ACK, {"input": {"alertId": alert["id"]}}, token=warehouse_token))["data"]
    assert again["batchAlertAcknowledge"]["code"] == "CONFLICT"
    still_open = await gql(ALERTS, {"batch": encode_id("Batch", batch.id), "open": True}, token=admin)
    assert still_open["data"]["batchAlerts"]["totalCount"] == 0


async def test_a_naive_reading_time_is_a_validation_error_naming_the_field_and_posts_nothing(
    gql: Gql, admin: str
) -> None:
    sku_code, sku_id = await _chilled_sku(gql, admin)
    po, line, wh = await _order(sku_code)
    readings = [{"kind": "temperature", "value": "2", "time": "2030-06-03T08:00:00"}]

    body = await gql(RECEIVE, _receipt(po, line, wh, readings), token=admin)

    result = body["data"]["goodsReceiptPost"]
    assert (result["__typename"], result["code"], result["path"]) == (
        "ValidationError",
        "VALIDATION",
        ["sensorReadings", "0", "time"],
    )
    assert not await Batch.exists(sku_id=sku_id)


async def test_a_shipment_carries_its_readings_over_the_api(gql: Gql, admin: str) -> None:
    sku_code, sku_id = await _chilled_sku(gql, admin)
    po, line, wh = await _order(sku_code)
    received = await gql(RECEIVE, _receipt(po, line, wh, []), token=admin)
    assert received["data"]["goodsReceiptPost"]["__typename"] == "Posted"
    customer = await partners.create_customer(code("CUS"), "门店 store")
    so = await sales.sales_order_create(customer.code, wh, [OrderLineInput(sku_code, Decimal(5), "pcs")])
    await sales.sales_order_confirm(so.document_id, datetime.now(UTC))
    so_line = await SalesOrderLine.get(order_id=so.document_id)

    body = await gql(
        SHIP,
        {
            "input": {
                "salesOrderId": encode_id("SalesOrder", so.document_id),
                "lines": [{"orderLineId": encode_id("SalesOrderLine", so_line.id), "quantity": "5"}],
                "sensorReadings": [{"kind": "humidity", "value": "97.5"}],
            }
        },
        token=admin,
    )

    assert body["data"]["shipmentPost"]["__typename"] == "Posted", body
    [alert] = await BatchAlert.filter(batch__sku_id=sku_id)
    assert (alert.kind, alert.value, alert.limit, alert.doc_type) == (
        "humidity_high",
        Decimal("97.5"),
        Decimal(95),
        "shipment",
    )
