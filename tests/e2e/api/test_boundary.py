"""The input boundary over HTTP: each kind of input that used to end in "Internal server error" (issue 11)
comes back as a typed error with the right path, and a rejected mutation writes nothing."""

from typing import Any

import httpx
import pytest

from api.relay import encode_id
from domain.inventory import models as inventory
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code, make_order, make_world

WAREHOUSE_CREATE = """
mutation($input: WarehouseCreateInput!) {
  warehouseCreate(input: $input) { __typename ... on UserError { message errorCode: code path } }
}"""

TRANSFER_SHIP_INLINE = """
mutation {
  transferShip(input: {fromWarehouseCode: "%s", toWarehouseCode: "%s",
                       lines: [{skuCode: "%s", quantity: %s}]}) {
    __typename ... on UserError { message errorCode: code path }
  }
}"""

PO_CREATE = """
mutation($input: PurchaseOrderCreateInput!) {
  purchaseOrderCreate(input: $input) { __typename ... on UserError { message errorCode: code path } }
}"""


def _po(world: Any, **line: Any) -> dict[str, Any]:
    return {
        "supplierCode": world.supplier_code,
        "warehouseCode": world.warehouse_code,
        "lines": [{"skuCode": world.sku_code, "quantity": "2", "unit": "box", "unitPrice": "30.5", **line}],
    }


def _no_internal_error(body: dict[str, Any]) -> None:
    assert "Internal server error" not in str(body), body


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e30", "has more than 14 digits before the decimal point"),
        ("1E+400", "has more than 14 digits before the decimal point"),
        ("1" * 30, "has more than 14 digits before the decimal point"),
        ("0.00001", "has more than 4 decimal places"),
        ("NaN", "must be a finite decimal number"),
        ("-Infinity", "must be a finite decimal number"),
    ],
)
async def test_an_out_of_range_quantity_is_a_validation_error_on_its_line(
    gql: Gql, admin: str, value: str, message: str
) -> None:
    world = await make_world()
    body = await gql(PO_CREATE, {"input": _po(world, quantity=value)}, token=admin)
    result = body["data"]["purchaseOrderCreate"]
    assert result["__typename"] == "ValidationError"
    assert result["path"] == ["lines", "0", "quantity"]
    assert message in result["message"]


async def test_a_tiny_price_is_refused_not_rounded_to_zero(gql: Gql, admin: str) -> None:
    world = await make_world()
    body = await gql(PO_CREATE, {"input": _po(world, unitPrice="1e-30")}, token=admin)
    result = body["data"]["purchaseOrderCreate"]
    assert result == {
        "__typename": "ValidationError",
        "message": "unitPrice has more than 4 decimal places",
        "errorCode": "VALIDATION",
        "path": ["lines", "0", "unitPrice"],
    }


@pytest.mark.parametrize("literal", ["1.5", "2", "1.5e0", '"1.5"'])
async def test_an_inline_number_literal_is_read_exactly(gql: Gql, admin: str, literal: str) -> None:
    world = await make_world()
    other = await make_world()
    query = TRANSFER_SHIP_INLINE % (world.warehouse_code, other.warehouse_code, world.sku_code, literal)
    body = await gql(query, token=admin)
    _no_internal_error(body)
    # No stock in the new warehouse: the service ran with the quantity, and says so in the caller's unit.
    assert body["data"]["transferShip"]["__typename"] == "InsufficientStock"


@pytest.mark.parametrize("literal", ['"abc"', '"NaN"', '"Infinity"', "1e1000000000"])
async def test_an_inline_non_number_is_refused_without_an_internal_error(
    gql: Gql, admin: str, literal: str
) -> None:
    world = await make_world()
    query = TRANSFER_SHIP_INLINE % (world.warehouse_code, world.warehouse_code, world.sku_code, literal)
    body = await gql(query, token=admin)
    _no_internal_error(body)
    if body.get("data"):
        assert body["data"]["transferShip"]["__typename"] == "ValidationError"
        assert body["data"]["transferShip"]["path"] == ["lines", "0", "quantity"]
    else:
        assert "Decimal" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    "query",
    [
        'batches(status: "xxxxxxxxxxxxxxxxx") { totalCount }',
        'stockOnHand(status: "x") { totalCount }',
        'locations(kind: "x") { totalCount }',
        'stockMoves(documentType: "x") { totalCount }',
        'journalEntries(docType: "x") { totalCount }',
        'anchors(status: "x") { id }',
        'purchaseOrders(status: "x") { totalCount }',
        'salesOrders(status: "x") { totalCount }',
        'stockCounts(status: "x") { totalCount }',
        'transfers(status: "x") { totalCount }',
        'supplierBills(status: "x") { totalCount }',
        'qualityChecks(status: "x") { totalCount }',
    ],
)
async def test_a_status_filter_takes_only_its_enum(gql: Gql, admin: str, query: str) -> None:
    body = await gql(f"{{ {query} }}", token=admin)
    _no_internal_error(body)
    assert body["errors"][0]["message"].startswith("Enum ")


async def test_a_status_filter_finds_by_its_enum_member(gql: Gql, admin: str) -> None:
    body = await gql("{ batches(status: QUARANTINE, first: 1) { totalCount } }", token=admin)
    assert "errors" not in body
    assert body["data"]["batches"]["totalCount"] >= 0


@pytest.mark.parametrize(
    ("query", "path", "message"),
    [
        ('eventAnchor(eventId: "%s") { anchored }' % ("x" * 129), ["eventId"], "at most 128"),
        ('skus(search: "a\\u0000b") { totalCount }', ["search"], "contains a control character (U+0000)"),
        ('journalEntries(period: "2026-13") { totalCount }', ["period"], "YYYY-MM"),
        ("warehouses(first: -5) { totalCount }", ["first"], "first must be at least 0"),
        ("warehouses(first: 201) { totalCount }", ["first"], "first must be at most 200"),
        ("anchors(first: -5) { id }", ["first"], "first must be at least 0"),
    ],
)
async def test_a_bad_query_argument_is_a_validation_error_naming_it(
    gql: Gql, admin: str, query: str, path: list[str], message: str
) -> None:
    body = await gql(f"{{ {query} }}", token=admin)
    _no_internal_error(body)
    error = body["errors"][0]
    assert error["path"][0] in ("eventAnchor", "skus", "journalEntries", "warehouses", "anchors")
    assert error["extensions"]["code"] == "VALIDATION"
    assert message in error["message"]


async def test_first_zero_returns_no_rows_and_says_whether_there_are_more(gql: Gql, admin: str) -> None:
    await make_world()
    body = await gql("{ warehouses(first: 0) { edges { cursor } pageInfo { hasNextPage } } }", token=admin)
    assert body["data"]["warehouses"] == {"edges": [], "pageInfo": {"hasNextPage": True}}
    assert (await gql("{ anchors(first: 0) { id } }", token=admin))["data"]["anchors"] == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("gln", "40123450000000", "gln is 14 characters long, at most 13 are allowed"),
        ("gln", "401234500000", "GLN must be 13 digits"),
        ("gln", "4012345000001", "GLN check digit is wrong"),
        ("code", "W" * 33, "code is 33 characters long, at most 32 are allowed"),
        ("code", "W" * 250, "code is 250 characters long, at most 32 are allowed"),
        ("name", "名" * 600, "name is 600 characters long, at most 200 are allowed"),
        ("code", "WH\u202eX", "code contains a bidirectional control character (U+202E)"),
        ("code", "WH\x07X", "code contains a control character (U+0007)"),
        ("name", "nul\x00name", "name contains a control character (U+0000)"),
    ],
)
async def test_a_bad_warehouse_is_refused_on_its_field_and_creates_nothing(
    gql: Gql, admin: str, field: str, value: str, message: str
) -> None:
    before = await inventory.Warehouse.all().count()
    given = {"code": code("WH"), "name": "仓 warehouse", field: value}
    body = await gql(WAREHOUSE_CREATE, {"input": given}, token=admin)
    result = body["data"]["warehouseCreate"]
    expected = {"__typename": "ValidationError", "message": message, "errorCode": "VALIDATION"}
    expected["path"] = [field]
    assert result == expected
    assert await inventory.Warehouse.all().count() == before


async def test_a_warehouse_with_a_valid_gln_is_created(gql: Gql, admin: str) -> None:
    given = {"code": code("WH"), "name": "仓 warehouse", "gln": "4012345000009"}
    body = await gql(WAREHOUSE_CREATE, {"input": given}, token=admin)
    assert body["data"]["warehouseCreate"]["__typename"] == "Warehouse"


async def test_a_lot_code_with_a_control_character_is_refused(gql: Gql, admin: str) -> None:
    world = await make_world()
    order_id = await make_order(world)
    query = """
    mutation($input: GoodsReceiptPostInput!) {
      goodsReceiptPost(input: $input) { __typename ... on UserError { message path } }
    }"""
    line = {"orderLineId": encode_id("PurchaseOrderLine", 1), "quantity": "1", "lotCode": "L\u2066OT"}
    body = await gql(
        query,
        {"input": {"purchaseOrderId": order_id, "lines": [{**line, "locationCode": world.warehouse_code}]}},
        token=admin,
    )
    result = body["data"]["goodsReceiptPost"]
    assert result["__typename"] == "ValidationError"
    assert result["path"] == ["lines", "0", "lotCode"]


@pytest.mark.parametrize("gid", [encode_id("User", 1), encode_id("NoSuchType", 1), encode_id("Batch", 0)])
async def test_node_with_an_id_of_no_node_type_is_null(gql: Gql, admin: str, gid: str) -> None:
    body = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": gid}, token=admin)
    _no_internal_error(body)
    assert body["data"] == {"node": None}


async def test_an_error_of_the_order_names_the_callers_field(gql: Gql, admin: str) -> None:
    world = await make_world()
    order_id = await make_order(world)  # a draft: it cannot be received yet
    query = """
    mutation($input: GoodsReceiptPostInput!) {
      goodsReceiptPost(input: $input) { __typename ... on UserError { message path } }
    }"""
    line = {"orderLineId": encode_id("PurchaseOrderLine", 1), "quantity": "1", "lotCode": "LOT-1"}
    given = {"purchaseOrderId": order_id, "lines": [{**line, "locationCode": world.warehouse_code}]}
    body = await gql(query, {"input": given}, token=admin)
    result = body["data"]["goodsReceiptPost"]
    assert result["__typename"] == "Conflict"
    assert result["path"] == ["purchaseOrderId"]
    assert "is a draft" in result["message"]


@pytest.mark.parametrize("raw", ["null", '"x"', "1", "true"])
async def test_a_body_that_is_not_a_json_object_is_a_400(client: httpx.AsyncClient, raw: str) -> None:
    response = await client.post("/graphql", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "the request body must be a JSON object" in response.text
