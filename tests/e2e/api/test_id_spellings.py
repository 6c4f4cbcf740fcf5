"""An ID names one record in one spelling: the decimal digits of its key, ASCII, no sign, space, underscore
or leading zero. Other spellings Python's ``int()`` would read ("١٢", "+12", "1_2", " 12") or refuse ("²",
a number past a database integer) are no record — a null node, a typed error — never another record and never
"Internal server error"."""

import base64
from typing import Any

import pytest

from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import make_order, make_world

NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
EVENT_ANCHOR = "query($e: String!) { eventAnchor(eventId: $e) { __typename } }"
ORDERS_AFTER = "query($a: String) { purchaseOrders(first: 2, after: $a) { edges { node { id } } } }"

ARABIC, FULLWIDTH, SUPER = "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "⁰¹²³⁴⁵⁶⁷⁸⁹"
# read as the key by int() (so another record's ID would name it), refused by int(), or past a bigint
SPELLINGS = {
    "arabic-indic": lambda k: k.translate(str.maketrans("0123456789", ARABIC)),
    "fullwidth": lambda k: k.translate(str.maketrans("0123456789", FULLWIDTH)),
    "superscript": lambda k: k.translate(str.maketrans("0123456789", SUPER)),
    "plus": lambda k: f"+{k}",
    "minus": lambda k: f"-{k}",
    "space before": lambda k: f" {k}",
    "space after": lambda k: f"{k}\n",
    "leading zero": lambda k: f"0{k}",
    "underscore": lambda k: f"{k[0]}_{k[1:]}" if len(k) > 1 else f"0_{k}",
    "past bigint": lambda k: "9" * 20,
    "past int()'s digit limit": lambda k: "9" * 5000,
    "empty": lambda k: "",
}


def _spell(how: str, pk: int) -> str:
    return SPELLINGS[how](str(pk))


def _no_internal_error(body: dict[str, Any]) -> None:
    assert "Internal server error" not in str(body), body


@pytest.mark.parametrize("how", list(SPELLINGS))
async def test_a_node_id_in_another_spelling_is_no_node(gql: Gql, admin: str, how: str) -> None:
    world = await make_world()
    order_id = await make_order(world)
    pk = int(base64.b64decode(order_id).decode().split(":")[1])
    for type_name in ("PurchaseOrder", "Sku", "StockQuant", "TraceEvent"):
        raw = base64.b64encode(f"{type_name}:{_spell(how, pk)}".encode()).decode()
        body = await gql(NODE, {"id": raw}, token=admin)
        _no_internal_error(body)
        assert body.get("data") in ({"node": None}, None), (type_name, how, body)
        body = await gql(NODES, {"ids": [raw]}, token=admin)
        _no_internal_error(body)
    assert (await gql(NODE, {"id": order_id}, token=admin))["data"]["node"] == {"id": order_id}


@pytest.mark.parametrize("how", list(SPELLINGS))
async def test_an_event_id_in_another_spelling_is_a_typed_answer(gql: Gql, admin: str, how: str) -> None:
    body = await gql(EVENT_ANCHOR, {"e": _spell(how, 12)}, token=admin)
    _no_internal_error(body)
    if "errors" in body:  # too long for the boundary: a typed error
        assert [e["extensions"]["code"] for e in body["errors"]] == ["VALIDATION"]
    else:  # an unknown event's status
        assert body["data"] == {"eventAnchor": {"__typename": "EventAnchorStatus"}}


@pytest.mark.parametrize("how", list(SPELLINGS))
async def test_a_cursor_in_another_spelling_is_a_typed_error(gql: Gql, admin: str, how: str) -> None:
    cursor = base64.urlsafe_b64encode(f"cursor:{_spell(how, 12)}".encode()).decode()
    body = await gql(ORDERS_AFTER, {"a": cursor}, token=admin)
    _no_internal_error(body)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["VALIDATION"]  # malformed, or too long
    plain = base64.urlsafe_b64encode(b"cursor:12").decode()
    assert "errors" not in await gql(ORDERS_AFTER, {"a": plain}, token=admin)
