"""Recall through GraphQL over HTTP: roles, the input boundary, idempotency keys, and the whole workflow
from opening (lots blocked) through the customer notice and destruction to the close."""

import base64
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from api.relay import decode_id, encode_id
from domain.inventory.models import Batch
from tests.e2e.api.conftest import Gql
from tests.factories import code
from tests.integration.recall.test_recall_workflow import NOTICE_EN, NOTICE_ZH, _world

TokenFor = Callable[..., Awaitable[str]]
POSTED = (
    "__typename ... on Posted { documentType number documentId replayed }"
    " ... on UserError { code message path }"
)
OPEN = f"mutation($input: RecallOpenInput!) {{ recallOpen(input: $input) {{ {POSTED} }} }}"
DESTROY = f"mutation($input: RecallDestroyInput!) {{ recallDestroy(input: $input) {{ {POSTED} }} }}"
CLOSE = f"mutation($input: RecallCloseInput!) {{ recallClose(input: $input) {{ {POSTED} }} }}"
DOCUMENT = """query($id: ID!) { recallDocument(id: $id) {
  number status noticeZh noticeEn summary noticeCsvBase64
  lots { batchId lotCode previousStatus status }
  customers { code shipped { value unit } outstanding { value unit } lots { lotCode } }
  disposals { destructionNumber quantity } } }"""


async def _call(gql: Gql, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    body = await gql(query, variables, token=token)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _open_input(batch_id: int, key: str | None = None, **extra: str) -> dict[str, Any]:
    found = {
        "batchId": encode_id("Batch", batch_id),
        "reason": "supplier alert",
        "noticeZh": NOTICE_ZH,
        "noticeEn": NOTICE_EN,
        **extra,
    }
    return found | ({"idempotencyKey": key} if key else {})


async def test_only_roles_that_decide_quality_open_a_recall_and_the_boundary_refuses_overlong_notices(
    db, gql: Gql, token_for: TokenFor
):
    w = await _world()
    sales = await token_for("sales")
    warehouse = await token_for("warehouse")

    refused = (await _call(gql, OPEN, {"input": _open_input(w.lot.batch_id)}, sales))["recallOpen"]
    assert (refused["__typename"], refused["code"]) == ("Forbidden", "FORBIDDEN")
    too_long = _open_input(w.lot.batch_id, noticeZh="召" * 2001)
    invalid = (await _call(gql, OPEN, {"input": too_long}, warehouse))["recallOpen"]
    assert invalid["__typename"] == "ValidationError"
    assert invalid["path"] == ["noticeZh"]
    assert {b.status for b in await Batch.filter(id__in=[w.lot.batch_id, w.out.id])} == {"available"}
    # A buyer reads traces but not customers: the notice (which names them) is refused.
    denied = await gql(DOCUMENT, {"id": encode_id("RecallDocument", 1)}, token=await token_for("buyer"))
    assert "sales_read" in denied["errors"][0]["message"]


async def test_a_recall_over_graphql_blocks_notifies_destroys_and_closes_with_replayable_keys(
    db, gql: Gql, token_for: TokenFor
):
    w = await _world()
    warehouse = await token_for("warehouse")
    key = code("K")

    opened = (await _call(gql, OPEN, {"input": _open_input(w.lot.batch_id, key)}, warehouse))["recallOpen"]
    again = (await _call(gql, OPEN, {"input": _open_input(w.lot.batch_id, key)}, warehouse))["recallOpen"]
    other = _open_input(w.lot.batch_id, key, reason="another reason")
    clash = (await _call(gql, OPEN, {"input": other}, warehouse))["recallOpen"]

    assert opened["__typename"] == "Posted"
    assert opened["replayed"] is False
    assert (again["replayed"], again["documentId"]) == (True, opened["documentId"])
    assert (clash["__typename"], clash["code"]) == ("Conflict", "CONFLICT")
    recall_id = opened["documentId"]
    assert decode_id(recall_id, "RecallDocument", ("id",)) > 0

    doc = (await _call(gql, DOCUMENT, {"id": recall_id}, warehouse))["recallDocument"]
    assert doc["status"] == "open"
    assert {lot["status"] for lot in doc["lots"]} == {"blocked"}
    assert {c["code"] for c in doc["customers"]} == {c.code for c in w.customers}
    csv = base64.b64decode(doc["noticeCsvBase64"]).decode("utf-8-sig")
    assert NOTICE_ZH in csv
    assert len(csv.strip().splitlines()) == 3  # header + one row per customer and lot

    destroy = {"recallId": recall_id, "batchId": encode_id("Batch", w.out.id), "idempotencyKey": code("K")}
    destroyed = (await _call(gql, DESTROY, {"input": destroy}, warehouse))["recallDestroy"]
    assert destroyed["documentType"] == "batch_destruction"
    closed = (await _call(gql, CLOSE, {"input": {"recallId": recall_id}}, warehouse))["recallClose"]
    assert closed["__typename"] == "Posted"
    reclose = (await _call(gql, CLOSE, {"input": {"recallId": recall_id}}, warehouse))["recallClose"]
    assert reclose["__typename"] == "Conflict"

    doc = (await _call(gql, DOCUMENT, {"id": recall_id}, warehouse))["recallDocument"]
    assert doc["status"] == "closed"
    assert [Decimal(d["quantity"]) for d in doc["disposals"]] == [Decimal(2)]
    assert Decimal(doc["summary"]["held"][w.raw.base_unit]) == Decimal(13)
