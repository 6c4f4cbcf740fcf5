from typing import Any

from api.relay import encode_id
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code, make_order, make_world

CONFIRM = """mutation($input: PurchaseOrderActionInput!) {
  purchaseOrderConfirm(input: $input) { __typename ... on UserError { message } } }"""

RECEIVE = """mutation($input: GoodsReceiptPostInput!) {
  goodsReceiptPost(input: $input) {
    __typename
    ... on Posted { number replayed documentId }
    ... on UserError { message path }
  }
}"""

SUMMARY = """query($sku: ID!, $wh: ID) { stockSummary(skuId: $sku, warehouseId: $wh) {
  onHand { value unit } available { value unit } blocked { value } } }"""


async def _receive(gql: Gql, token: str, po: str, key: str, lot: str) -> dict[str, Any]:
    order = (
        await gql(
            "query($id: ID!) { node(id: $id) { ... on PurchaseOrder { lines { id } warehouse { code } } } }",
            {"id": po},
            token=token,
        )
    )["data"]["node"]
    line = {
        "orderLineId": order["lines"][0]["id"],
        "quantity": "2",
        "lotCode": lot,
        "locationCode": order["warehouse"]["code"],
        "expiryDate": "2099-01-01",
    }
    body = await gql(
        RECEIVE, {"input": {"purchaseOrderId": po, "lines": [line], "idempotencyKey": key}}, token=token
    )
    result: dict[str, Any] = body["data"]["goodsReceiptPost"]
    return result


async def test_a_received_order_shows_up_as_stock_and_a_replayed_receipt_posts_nothing(
    gql: Gql, admin: str
) -> None:
    world = await make_world()
    po = await make_order(world)
    confirmed = await gql(CONFIRM, {"input": {"purchaseOrderId": po}}, token=admin)
    assert confirmed["data"]["purchaseOrderConfirm"]["__typename"] == "Posted"

    key, lot = code("key"), code("LOT")  # a replay is the same request under the same key
    first = await _receive(gql, admin, po, key, lot)
    again = await _receive(gql, admin, po, key, lot)

    assert first["__typename"] == "Posted", first
    assert again["replayed"] is True
    assert again["documentId"] == first["documentId"]
    summary = await gql(SUMMARY, {"sku": encode_id("Sku", world.sku_id)}, token=admin)
    # 2 boxes of 12: received once, in the base unit.
    assert summary["data"]["stockSummary"]["onHand"] == {"value": "24", "unit": "pcs"}
    assert summary["data"]["stockSummary"]["available"] == {"value": "24", "unit": "pcs"}
    moves = await gql(
        """query($d: ID) { stockMoves(documentType: GOODS_RECEIPT, documentId: $d) {
             totalCount nodes { quantity { value unit } toLocation { code } batch { status } } } }""",
        {"d": first["documentId"]},
        token=admin,
    )
    assert moves["data"]["stockMoves"]["totalCount"] == 1
    assert moves["data"]["stockMoves"]["nodes"][0]["quantity"] == {"value": "24", "unit": "pcs"}
