"""A high-risk lot through GraphQL over HTTP: quarantined at receipt, inspected, then shipped or destroyed."""

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from api.relay import decode_id, encode_id
from domain.inventory.models import Batch
from domain.trace.models import TraceEvent
from tests import factories
from tests.e2e.api.conftest import Gql
from tests.factories import code

TokenFor = Callable[..., Awaitable[str]]
POSTED = "__typename ... on Posted { documentType number documentId } ... on UserError { code message path }"
RECEIVE = f"mutation($input: GoodsReceiptPostInput!) {{ goodsReceiptPost(input: $input) {{ {POSTED} }} }}"
START = f"mutation($input: QualityCheckStartInput!) {{ qualityCheckStart(input: $input) {{ {POSTED} }} }}"
VERDICT = (
    f"mutation($input: QualityCheckVerdictInput!) {{ qualityCheckVerdict(input: $input) {{ {POSTED} }} }}"
)
SHIP = f"mutation($input: ShipmentPostInput!) {{ shipmentPost(input: $input) {{ {POSTED} }} }}"
DESTROY = f"mutation($input: BatchDestroyInput!) {{ batchDestroy(input: $input) {{ {POSTED} }} }}"
BATCH = """query($b: ID!, $after: String) {
  node(id: $b) { ... on Batch { status } }
  qualityChecks(batchId: $b) { totalCount nodes { id number status inspector results { parameter passed } } }
  batchEvents(batchId: $b, first: 2, after: $after) {
    totalCount edges { cursor node { id bizStep disposition } } pageInfo { hasNextPage endCursor } } }"""
CHECK = """query($c: ID!) { node(id: $c) { ... on QualityCheck {
  number status inspector batch { lotCode status } } } }"""
TEMP_OK = {"parameter": "temperature", "value": "3", "limit": "≤ 4", "unit": "CEL", "passed": True}
TEMP_BAD = {"parameter": "temperature", "value": "9", "limit": "≤ 4", "unit": "CEL", "passed": False}


class World:
    """A high-risk SKU ordered from a supplier and sold to a customer; the warehouse user's token."""

    def __init__(self, gql: Gql, token: str) -> None:
        self.gql, self.token = gql, token

    async def setup(self) -> "World":
        self.sku = await factories.make_sku(high_risk=True)
        self.wh = await factories.make_warehouse()
        self.customer = await factories.make_customer()
        self.order = await factories.make_purchase_order(
            await factories.make_supplier(), self.wh, self.sku, Decimal(10), unit="kg"
        )
        return self

    async def call(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = await self.gql(query, variables, token=self.token)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def receive(self) -> str:
        lot = code("LOT")
        line = {
            "orderLineId": encode_id("PurchaseOrderLine", self.order.line_id),
            "quantity": "10",
            "lotCode": lot,
            "locationCode": self.wh.bins[0],
            "expiryDate": "2099-01-01",
        }
        data = await self.call(
            RECEIVE,
            {"input": {"purchaseOrderId": encode_id("PurchaseOrder", self.order.id), "lines": [line]}},
        )
        assert data["goodsReceiptPost"]["__typename"] == "Posted", data
        self.lot = lot
        return encode_id("Batch", (await Batch.get(sku_id=self.sku.id, lot_code=lot)).id)

    async def batch(self, batch: str, after: str | None = None) -> dict[str, Any]:
        return await self.call(BATCH, {"b": batch, "after": after})

    async def start(self, batch: str) -> dict[str, Any]:
        data = await self.call(START, {"input": {"batchId": batch, "inspector": "李质检"}})
        result: dict[str, Any] = data["qualityCheckStart"]
        return result

    async def verdict(self, check: str, conclusion: str, results: list[dict[str, Any]]) -> dict[str, Any]:
        data = await self.call(
            VERDICT, {"input": {"checkId": check, "conclusion": conclusion, "results": results}}
        )
        result: dict[str, Any] = data["qualityCheckVerdict"]
        return result

    async def ship(self, quantity: str) -> dict[str, Any]:
        so = await factories.make_sales_order(self.customer, self.wh, self.sku, Decimal(quantity))
        line = {"orderLineId": encode_id("SalesOrderLine", so.line_id), "quantity": quantity}
        data = await self.call(
            SHIP, {"input": {"salesOrderId": encode_id("SalesOrder", so.id), "lines": [line]}}
        )
        result: dict[str, Any] = data["shipmentPost"]
        return result


async def test_a_passed_inspection_releases_the_lot_and_it_ships_and_traces_to_the_customer(
    gql: Gql, token_for: TokenFor
) -> None:
    world = await World(gql, await token_for("warehouse")).setup()
    batch = await world.receive()

    received = await world.batch(batch)
    assert received["node"] == {"status": "quarantine"}
    [pending] = received["qualityChecks"]["nodes"]
    assert (pending["status"], pending["inspector"]) == ("pending", "")

    started = await world.start(batch)
    assert started["__typename"] == "Posted", started
    assert started["documentType"] == "quality_check"
    assert started["documentId"] == pending["id"]  # the task opened at receipt is the one started
    check = await world.call(CHECK, {"c": started["documentId"]})
    assert check["node"] == {
        "number": pending["number"],
        "status": "inspecting",
        "inspector": "李质检",
        "batch": {"lotCode": world.lot, "status": "quarantine"},
    }

    decided = await world.verdict(started["documentId"], "PASS", [TEMP_OK])
    assert decided["__typename"] == "Posted", decided
    released = await world.batch(batch)
    assert released["node"] == {"status": "available"}
    assert released["qualityChecks"]["nodes"][0]["status"] == "passed"
    assert released["qualityChecks"]["nodes"][0]["results"] == [{"parameter": "temperature", "passed": True}]

    shipped = await world.ship("4")
    assert shipped["__typename"] == "Posted", shipped

    trace = await world.call(
        """query($b: ID!) {
          traceForward(batchId: $b) {
            batch { lotCode unit } shipments { number customer { code } quantity { value unit } }
            stock { status quantity { value unit } } }
          recall(batchId: $b) {
            customers { customer { code } shipped { value unit } returned { value unit } documents
                        lots { lotCode quantity { value unit } } }
            stock { lotCode quantity { value unit } } } }""",
        {"b": batch},
    )
    forward = trace["traceForward"]
    assert forward["batch"] == {"lotCode": world.lot, "unit": "kg"}
    assert [(s["number"], s["customer"]["code"]) for s in forward["shipments"]] == [
        (shipped["number"], world.customer.code)
    ]
    assert [s["quantity"] for s in forward["shipments"]] == [{"value": "4", "unit": "kg"}]
    assert forward["stock"] == [{"status": "available", "quantity": {"value": "6", "unit": "kg"}}]
    [customer] = trace["recall"]["customers"]
    assert customer["customer"]["code"] == world.customer.code
    assert customer["shipped"] == [{"value": "4", "unit": "kg"}]
    assert customer["returned"] == [{"value": "0", "unit": "kg"}]
    assert customer["lots"] == [{"lotCode": world.lot, "quantity": {"value": "4", "unit": "kg"}}]
    assert trace["recall"]["stock"] == [{"lotCode": world.lot, "quantity": {"value": "6", "unit": "kg"}}]
    assert customer["documents"][0].startswith(shipped["number"])


async def test_the_events_of_a_lot_page_by_cursor_in_the_order_recorded(
    gql: Gql, token_for: TokenFor
) -> None:
    world = await World(gql, await token_for("warehouse")).setup()
    batch = await world.receive()
    started = await world.start(batch)
    await world.verdict(started["documentId"], "PASS", [TEMP_OK])

    first = (await world.batch(batch))["batchEvents"]
    second = (await world.batch(batch, first["pageInfo"]["endCursor"]))["batchEvents"]

    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False
    steps = [e["node"]["bizStep"] for e in first["edges"] + second["edges"]]
    dispositions = [e["node"]["disposition"] for e in first["edges"] + second["edges"]]
    assert steps == ["receiving", "inspecting", "inspecting"]
    assert dispositions == ["in_progress", "non_sellable_other", "conformant"]
    event = await world.call(
        "query($e: ID!) { node(id: $e) { ... on TraceEvent { bizStep leaf } } }",
        {"e": second["edges"][0]["node"]["id"]},
    )
    assert event["node"]["bizStep"] == "inspecting"
    assert len(event["node"]["leaf"]) == 64


async def test_a_failed_inspection_rejects_the_lot_refuses_its_shipment_and_lets_it_be_destroyed(
    gql: Gql, token_for: TokenFor
) -> None:
    world = await World(gql, await token_for("warehouse")).setup()
    batch = await world.receive()
    started = await world.start(batch)

    decided = await world.verdict(started["documentId"], "FAIL", [TEMP_BAD])
    assert decided["__typename"] == "Posted", decided
    rejected = await world.batch(batch)
    assert rejected["node"] == {"status": "rejected"}
    assert rejected["qualityChecks"]["nodes"][0]["status"] == "failed"

    refused = await world.ship("4")
    assert refused["__typename"] == "InsufficientStock", refused
    assert refused["code"] == "INSUFFICIENT_STOCK"
    assert await factories.on_hand(world.sku, status="rejected") == Decimal(10)

    destroyed = (await world.call(DESTROY, {"input": {"batchId": batch, "reason": "温度超标"}}))[
        "batchDestroy"
    ]
    assert destroyed["__typename"] == "Posted", destroyed
    assert destroyed["documentType"] == "batch_destruction"
    assert await factories.on_hand(world.sku, status=None) == Decimal(0)
    [event] = await TraceEvent.filter(
        doc_type="batch_destruction", doc_id=decode_id(destroyed["documentId"], "BatchDestruction", ())
    )
    assert (event.biz_step, event.action, event.disposition) == ("destroying", "DELETE", "destroyed")
    again = (await world.call(DESTROY, {"input": {"batchId": batch}}))["batchDestroy"]
    assert again["__typename"] == "ValidationError", again
