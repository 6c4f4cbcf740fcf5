"""A request is freed when it answers, not by the cyclic collector (issue 15).

A list page reads orders, lines, suppliers and SKUs into the request's loaders; before ``api.executor_refs``
the executor's self-referencing helpers kept all of it (a purchase-order page of 100: ~3,100 objects) until
a collection. With the collector off, the request's context must die with its answer on the real schema,
for each kind of operation: a list page, a node, a posting, a refused input, a document that fails
validation.
"""

import gc
import weakref
from typing import Any

from starlette.requests import Request

from api.context import Context
from api.relay import encode_id
from api.schema import create_schema
from domain.partners import services as partners
from domain.partners.services import Principal
from lotline.config import Settings
from tests.e2e.api.world import code, make_order, make_world

PAGE = """{ purchaseOrders(first: 100) { edges { node { number supplier { code } warehouse { code }
  lines { sku { code } quantity { value } received { value } } receipts { number } total { amount } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { ... on PurchaseOrder { lines { id } warehouse { code } } } }"
CONFIRM = """mutation($input: PurchaseOrderActionInput!) {
  purchaseOrderConfirm(input: $input) { __typename ... on UserError { message } } }"""
RECEIVE = """mutation($input: GoodsReceiptPostInput!) { goodsReceiptPost(input: $input) {
  __typename ... on Posted { number } ... on UserError { message path } } }"""


async def _answer_then_alive(
    schema: Any, principal: Principal | None, query: str, variables: dict[str, Any] | None = None
) -> tuple[Any, bool]:
    """The answer's ``data`` and ``errors`` as plain values, and whether the request's context outlived it
    with the cyclic collector off."""
    request = Request({"type": "http", "method": "POST", "path": "/graphql", "headers": []})
    gc.collect()
    gc.disable()
    try:
        context = Context(request, None, principal)
        alive = weakref.ref(context)
        result = await schema.execute(query, variable_values=variables, context_value=context)
        answer = (result.data, [e.message for e in result.errors or ()])
        del context, result
        return answer, alive() is not None
    finally:
        gc.enable()


async def test_no_kind_of_request_leaves_anything_for_the_cyclic_collector(
    db: object, pg_settings: Settings, admin: str
) -> None:
    world = await make_world()
    orders = [await make_order(world, lines=2) for _ in range(3)]
    schema = create_schema(pg_settings)
    principal = await partners.resolve_token(admin)

    (data, errors), alive = await _answer_then_alive(schema, principal, PAGE)
    assert errors == []
    assert len(data["purchaseOrders"]["edges"]) >= 3
    assert not alive

    (data, errors), alive = await _answer_then_alive(schema, principal, NODE, {"id": orders[0]})
    assert errors == []
    assert len(data["node"]["lines"]) == 2
    assert not alive

    (data, _), alive = await _answer_then_alive(
        schema, principal, CONFIRM, {"input": {"purchaseOrderId": orders[0]}}
    )
    assert data["purchaseOrderConfirm"]["__typename"] == "Posted"
    assert not alive

    line = (await _answer_then_alive(schema, principal, NODE, {"id": orders[0]}))[0][0]["node"]
    receipt = {
        "purchaseOrderId": orders[0],
        "lines": [
            {
                "orderLineId": line["lines"][0]["id"],
                "quantity": "2",
                "lotCode": code("LOT"),
                "locationCode": line["warehouse"]["code"],
                "expiryDate": "2099-01-01",
            }
        ],
        "idempotencyKey": code("key"),
    }
    (data, _), alive = await _answer_then_alive(schema, principal, RECEIVE, {"input": receipt})
    assert data["goodsReceiptPost"]["__typename"] == "Posted"
    assert not alive

    # Refused at the input boundary (a negative quantity), and refused by the posting (an unknown order).
    bad_lines = [{**receipt["lines"][0], "quantity": "-2"}]
    for refused in (
        {**receipt, "idempotencyKey": code("key"), "lines": bad_lines},
        {**receipt, "idempotencyKey": code("key"), "purchaseOrderId": encode_id("PurchaseOrder", 0)},
    ):
        (data, _), alive = await _answer_then_alive(schema, principal, RECEIVE, {"input": refused})
        assert data["goodsReceiptPost"]["__typename"] != "Posted"
        assert data["goodsReceiptPost"]["message"]
        assert not alive

    (data, errors), alive = await _answer_then_alive(schema, principal, "{ purchaseOrders { nope } }")
    assert data is None
    assert errors
    assert not alive
