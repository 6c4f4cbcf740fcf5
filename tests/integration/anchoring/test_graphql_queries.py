"""The anchoring queries over HTTP (httpx → ASGI), as tests/e2e/api does, with a real chain behind them."""

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from api import relay as rl
from api.app import create_app
from chain import verify
from chain.proof import ProofFile
from domain.anchoring import services
from domain.partners import services as partners
from domain.trace.models import TraceEvent, TraceEventBatch
from lotline.config import Settings
from tests import factories

Gql = Callable[..., Awaitable[dict[str, Any]]]

EVENT_ANCHOR = """
query($eventId: String!) {
  eventAnchor(eventId: $eventId) { eventId anchored status root txHash blockNumber proofFile }
}"""
ANCHORS = """
query($status: AnchorState, $first: Int!) {
  anchors(status: $status, first: $first) {
    id root previousRoot leafCount status chainId contract txHash blockNumber createdAt confirmedAt
  }
}"""
BATCH = "query($id: ID!) { batchVerification(batchId: $id) { events anchored pending failed } }"


@pytest.fixture
async def gql(db: object, pg_settings: Settings, request: pytest.FixtureRequest) -> AsyncIterator[Gql]:
    app = create_app(pg_settings, manage_database=False)  # Tortoise is the session's (``db``)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

        async def call(query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
            if "registry" in request.fixturenames:  # verification reads roots from the test's own chain
                registry, chain = request.getfixturevalue("registry"), request.getfixturevalue("chain")
                app.state.settings = pg_settings.model_copy(
                    update={"chain_rpc_url": chain.url, "chain_contract_address": registry.address}
                )
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = await client.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
            )
            assert response.status_code == 200, response.text
            return response.json()

        yield call


async def token_for(role: str, supplier_code: str | None = None) -> str:
    principal = await partners.create_user(
        f"u-{uuid.uuid4().hex[:10]}", "correct-horse-battery", role, supplier_code
    )
    return await partners.issue_token(principal.user_id)


async def received_batch() -> tuple[int, list[TraceEvent]]:
    """A goods receipt (a real posting): its batch and the trace events it recorded about the batch."""
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    lot = await factories.receive(await factories.make_sku(), wh, supplier, Decimal(5))
    pks = await TraceEventBatch.filter(batch_id=lot.batch_id).values_list("event_id", flat=True)
    events = await TraceEvent.filter(id__in=list(pks)).order_by("id")
    assert events
    return lot.batch_id, events


async def test_an_anchored_events_proof_comes_back_over_http_and_verifies(gql, anchorer, registry):
    _, [event, *_] = await received_batch()
    auditor = await token_for("auditor")

    before = await gql(EVENT_ANCHOR, {"eventId": event.event_id}, token=auditor)
    assert before["data"]["eventAnchor"] == {
        "eventId": event.event_id,
        "anchored": False,
        "status": "pending",
        "root": None,
        "txHash": None,
        "blockNumber": None,
        "proofFile": None,
    }

    assert (await anchorer.run_round()).confirmed >= 1
    body = await gql(EVENT_ANCHOR, {"eventId": event.event_id}, token=auditor)

    assert "errors" not in body, body
    status = body["data"]["eventAnchor"]
    found = await services.proof_of(event.id)
    assert found is not None
    assert found.proof_file.anchor is not None
    assert status["anchored"] is True
    assert status["status"] == "confirmed"
    assert status["root"] == "0x" + found.proof_file.root.hex()
    assert status["txHash"] == "0x" + found.proof_file.anchor.tx_hash.hex()
    assert int(status["blockNumber"]) == found.proof_file.anchor.block_number
    proof = ProofFile.from_json(json.dumps(status["proofFile"]).encode())
    assert proof == found.proof_file
    info = await registry.get_anchor(proof.root)
    assert verify.verify_proof_file(proof, info, event.canonical.encode()).ok


async def test_anchors_lists_the_confirmed_anchor_with_its_transaction(gql, anchorer, registry):
    _, [event, *_] = await received_batch()
    await anchorer.run_round()
    found = await services.proof_of(event.id)
    assert found is not None
    token = await token_for("warehouse")

    body = await gql(ANCHORS, {"status": "CONFIRMED", "first": 100}, token=token)

    assert "errors" not in body, body
    rows = body["data"]["anchors"]
    assert all(a["status"] == "confirmed" for a in rows)
    [ours] = [a for a in rows if a["root"] == "0x" + found.proof_file.root.hex()]
    assert ours["contract"] == registry.address.lower()
    assert int(ours["chainId"]) == registry.chain_id
    assert ours["txHash"] is not None
    assert ours["confirmedAt"] is not None
    assert ours["leafCount"] >= 1
    assert ours["id"] == rl.encode_id("Anchor", (await services.list_anchors(limit=1))[0].anchor_id)


async def test_anchors_pages_at_most_100_and_refuses_more_like_every_list(gql):
    token = await token_for("auditor")
    body = await gql(ANCHORS, {"status": None, "first": 100}, token=token)
    assert "errors" not in body, body
    assert len(body["data"]["anchors"]) <= 100
    refused = await gql(ANCHORS, {"status": None, "first": 100_000}, token=token)
    assert refused["errors"][0]["message"] == "first must be at most 100"
    assert refused["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_batch_verification_counts_pending_then_anchored_then_a_tampered_event_as_failed(
    gql, anchorer, registry
):
    batch_id, events = await received_batch()
    batch = rl.encode_id("Batch", batch_id)
    token = await token_for("store_manager")
    n = len(events)

    pending = await gql(BATCH, {"id": batch}, token=token)
    assert pending["data"]["batchVerification"] == {"events": n, "anchored": 0, "pending": n, "failed": 0}

    await anchorer.run_round()
    anchored = await gql(BATCH, {"id": batch}, token=token)
    assert anchored["data"]["batchVerification"] == {"events": n, "anchored": n, "pending": 0, "failed": 0}

    changed = json.loads(events[0].canonical) | {"bizStep": "receiving"}
    await TraceEvent.filter(id=events[0].id).update(canonical=json.dumps(changed))
    tampered = await gql(BATCH, {"id": batch}, token=token)
    assert tampered["data"]["batchVerification"] == {
        "events": n,
        "anchored": n - 1,
        "pending": 0,
        "failed": 1,
    }


async def test_the_anchoring_queries_need_a_token_and_the_trace_permission(gql):
    wh_supplier = await factories.make_supplier()
    supplier = await token_for("supplier", supplier_code=wh_supplier.code)
    for query, variables in (
        (EVENT_ANCHOR, {"eventId": "ni:///sha-256;00?ver=CBV2.0"}),
        (ANCHORS, {"first": 1}),
        (BATCH, {"id": rl.encode_id("Batch", 1)}),
    ):
        anonymous = await gql(query, variables)
        assert anonymous["data"] is None
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        refused = await gql(query, variables, token=supplier)
        assert refused["data"] is None
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_batch_id_of_another_type_is_a_validation_error(gql):
    token = await token_for("auditor")
    body = await gql(BATCH, {"id": rl.encode_id("Sku", 1)}, token=token)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["message"] == "expected a Batch ID, got a Sku ID"
    assert error["path"] == ["batchVerification"]
