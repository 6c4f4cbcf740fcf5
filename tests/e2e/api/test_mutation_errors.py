from typing import Any

from api.relay import encode_id
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code, make_world

BATCH_BLOCK = """
mutation($input: BatchStatusInput!) {
  batchBlock(input: $input) { __typename ... on UserError { message errorCode: code path } }
}"""

PO_CREATE = """
mutation($input: PurchaseOrderCreateInput!) {
  purchaseOrderCreate(input: $input) {
    __typename
    ... on Posted { number replayed documentId document { ... on PurchaseOrder { status lines { id } } } }
    ... on UserError { message errorCode: code path }
  }
}"""


def po_input(world: Any, **line: Any) -> dict[str, Any]:
    return {
        "supplierCode": world.supplier_code,
        "warehouseCode": world.warehouse_code,
        "lines": [{"skuCode": world.sku_code, "quantity": "2", "unit": "box", "unitPrice": "30.5", **line}],
    }


async def test_an_unknown_batch_is_not_found_on_the_batch_field(gql: Gql, admin: str) -> None:
    body = await gql(BATCH_BLOCK, {"input": {"batchId": encode_id("Batch", 2_000_000_000)}}, token=admin)
    result = body["data"]["batchBlock"]
    assert result["__typename"] == "NotFound"
    assert result["errorCode"] == "NOT_FOUND"
    assert result["path"] == ["batchId"]


async def test_a_malformed_id_is_a_validation_error_naming_the_field(gql: Gql, admin: str) -> None:
    body = await gql(BATCH_BLOCK, {"input": {"batchId": "%%% not base64"}}, token=admin)
    result = body["data"]["batchBlock"]
    assert result["__typename"] == "ValidationError"
    assert result["path"] == ["batchId"]


async def test_an_id_of_another_type_is_a_validation_error(gql: Gql, admin: str) -> None:
    body = await gql(BATCH_BLOCK, {"input": {"batchId": encode_id("Sku", 1)}}, token=admin)
    result = body["data"]["batchBlock"]
    assert result["__typename"] == "ValidationError"
    assert result["message"] == "expected a Batch ID, got a Sku ID"


async def test_a_zero_or_negative_quantity_is_a_validation_error_on_that_line(gql: Gql, admin: str) -> None:
    world = await make_world()
    for quantity in ("0", "-3"):
        body = await gql(PO_CREATE, {"input": po_input(world, quantity=quantity)}, token=admin)
        result = body["data"]["purchaseOrderCreate"]
        assert result["__typename"] == "ValidationError", quantity
        assert result["path"] == ["lines", "0", "quantity"]
    orders = await gql(
        "query($s: ID) { purchaseOrders(supplierId: $s) { totalCount } }",
        {"s": encode_id("Supplier", world.supplier_id)},
        token=admin,
    )
    assert orders["data"]["purchaseOrders"]["totalCount"] == 0


async def test_a_unit_the_sku_does_not_have_is_a_validation_error_on_the_unit(gql: Gql, admin: str) -> None:
    world = await make_world()
    body = await gql(PO_CREATE, {"input": po_input(world, unit="kg")}, token=admin)
    result = body["data"]["purchaseOrderCreate"]
    assert result["__typename"] == "ValidationError"
    assert result["path"] == ["lines", "0", "unit"]
    assert "kg" in result["message"]


async def test_a_duplicate_code_is_a_conflict(gql: Gql, admin: str) -> None:
    wh = code("WH")
    mutation = """mutation($input: WarehouseCreateInput!) {
      warehouseCreate(input: $input) { __typename ... on UserError { errorCode: code path } } }"""
    first = await gql(mutation, {"input": {"code": wh, "name": "a"}}, token=admin)
    second = await gql(mutation, {"input": {"code": wh, "name": "b"}}, token=admin)
    assert first["data"]["warehouseCreate"]["__typename"] == "Warehouse"
    assert second["data"]["warehouseCreate"] == {
        "__typename": "Conflict",
        "errorCode": "CONFLICT",
        "path": ["code"],
    }


async def test_too_many_lines_are_refused_before_the_service(gql: Gql, admin: str) -> None:
    world = await make_world()
    data = po_input(world)
    data["lines"] = data["lines"] * 501
    body = await gql(PO_CREATE, {"input": data}, token=admin)
    result = body["data"]["purchaseOrderCreate"]
    assert result["__typename"] == "ValidationError"
    assert result["path"] == ["lines"]


async def test_a_repeated_idempotency_key_returns_the_first_order_and_posts_once(
    gql: Gql, admin: str
) -> None:
    world = await make_world()
    data = {**po_input(world), "idempotencyKey": code("key")}
    first = (await gql(PO_CREATE, {"input": data}, token=admin))["data"]["purchaseOrderCreate"]
    again = (await gql(PO_CREATE, {"input": data}, token=admin))["data"]["purchaseOrderCreate"]
    assert first["__typename"] == "Posted"
    assert first["replayed"] is False
    assert again["replayed"] is True
    assert again["documentId"] == first["documentId"]
    assert again["number"] == first["number"]
    assert first["document"]["status"] == "draft"
    orders = await gql(
        "query($s: ID) { purchaseOrders(supplierId: $s) { totalCount } }",
        {"s": encode_id("Supplier", world.supplier_id)},
        token=admin,
    )
    assert orders["data"]["purchaseOrders"]["totalCount"] == 1
