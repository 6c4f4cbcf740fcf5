"""Issue 10, kind 6, over GraphQL: a used key with another payload is a Conflict naming the key; the empty
string is not a key; 128 characters is the documented and enforced maximum."""

from typing import Any

from tests.e2e.api.conftest import Gql
from tests.e2e.api.test_mutation_errors import PO_CREATE, po_input
from tests.e2e.api.world import code, make_world


async def create(gql: Gql, token: str, data: dict[str, Any]) -> dict[str, Any]:
    body = await gql(PO_CREATE, {"input": data}, token=token)
    return body["data"]["purchaseOrderCreate"]


async def test_a_used_key_with_another_quantity_is_a_conflict_naming_the_key(gql: Gql, admin: str) -> None:
    world = await make_world()
    key = code("key")
    first = await create(gql, admin, {**po_input(world), "idempotencyKey": key})
    other = await create(gql, admin, {**po_input(world, quantity="3"), "idempotencyKey": key})
    same = await create(gql, admin, {**po_input(world), "idempotencyKey": key})

    assert first["__typename"] == "Posted"
    assert other["__typename"] == "Conflict"
    assert other["errorCode"] == "CONFLICT"
    assert other["path"] == ["idempotencyKey"]
    assert key in other["message"]
    assert (same["__typename"], same["replayed"], same["documentId"]) == ("Posted", True, first["documentId"])


async def test_the_empty_key_and_a_129_character_key_are_refused_128_pass(gql: Gql, admin: str) -> None:
    world = await make_world()
    empty = await create(gql, admin, {**po_input(world), "idempotencyKey": ""})
    long_ = await create(gql, admin, {**po_input(world), "idempotencyKey": "k" * 129})
    most = await create(gql, admin, {**po_input(world), "idempotencyKey": code("k").ljust(128, "k")})

    for refused in (empty, long_):
        assert refused["__typename"] == "ValidationError"
        assert refused["path"] == ["idempotencyKey"]
    assert most["__typename"] == "Posted"
