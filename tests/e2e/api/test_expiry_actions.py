"""Over HTTP: the expiry scan on demand, what is near expiry and where, stock summary with expired stock, and
promotion proposals accepted by a store manager only (issue 10, kind 2)."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from api.relay import encode_id
from domain.common import business_time
from tests.e2e.api.conftest import Gql
from tests.integration.expiry import expiring
from tests.integration.expiry.conftest import make_world

SCAN = """mutation($wh: ID) { expiryScanRun(warehouseId: $wh) {
  __typename ... on ExpiryScan { day batchesExpired alertsRaised proposalsMade }
  ... on UserError { code message } } }"""

ALERTS = """query($wh: ID) { expiryAlerts(warehouseId: $wh) { totalCount nodes {
  kind daysLeft quantity { value unit } batch { lotCode status }
  stock { status location { code } quantity { value } available { value } } } } }"""

PROPOSALS = """query($wh: ID) { promotionProposals(warehouseId: $wh) { nodes {
  id status daysLeft suggestedMarkdown quantity { value } batch { lotCode } } } }"""

SUMMARY = """query($sku: ID!, $wh: ID) { stockSummary(skuId: $sku, warehouseId: $wh) {
  onHand { value } available { value } expired { value } } }"""

BEFORE_SCAN = """query($batch: ID!, $sku: ID!) {
  expired: stockOnHand(batchId: $batch, status: EXPIRED) {
    nodes { status available { value } batch { status } } }
  available: stockOnHand(batchId: $batch, status: AVAILABLE) { totalCount }
  batches(skuId: $sku, status: EXPIRED) { nodes { lotCode status } } }"""

ACCEPT = """mutation($input: PromotionProposalAcceptInput!) { promotionProposalAccept(input: $input) {
  __typename ... on PromotionProposal { status markdown decidedBy note }
  ... on UserError { code message path } } }"""


async def test_scan_alerts_and_proposals_over_graphql(
    db, gql: Gql, token_for: Callable[..., Awaitable[str]]
) -> None:
    # The API reads the real clock: the lots' dates are set from it.
    now = datetime.now(UTC)
    today = business_time.business_today(now)
    w = await make_world(alert_days=2, promote_days=2, markdown="0.3")
    near = await w.receive("10", expiry=today + timedelta(days=1), bins=(0, 1), at=now)
    promo = await w.receive("6", best_before=today + timedelta(days=2), at=now)
    old = await w.receive("4", expiry=today - timedelta(days=1), at=now - timedelta(days=3))
    wh = encode_id("Warehouse", w.wh.id)
    warehouse, manager, sales_user = (
        await token_for("warehouse"),
        await token_for("store_manager"),
        await token_for("sales"),
    )
    try:
        variables = {"batch": encode_id("Batch", old.id), "sku": encode_id("Sku", w.sku.id)}
        before = (await gql(BEFORE_SCAN, variables, token=warehouse))["data"]
        first = (await gql(SCAN, {"wh": wh}, token=warehouse))["data"]["expiryScanRun"]
        second = (await gql(SCAN, {"wh": wh}, token=warehouse))["data"]["expiryScanRun"]
        alerts = (await gql(ALERTS, {"wh": wh}, token=warehouse))["data"]["expiryAlerts"]
        proposals = (await gql(PROPOSALS, {"wh": wh}, token=warehouse))["data"]["promotionProposals"]
        summary = (await gql(SUMMARY, {"sku": encode_id("Sku", w.sku.id), "wh": wh}, token=warehouse))["data"]
        proposal_id = proposals["nodes"][0]["id"]
        by_warehouse = (await gql(ACCEPT, {"input": {"proposalId": proposal_id}}, token=warehouse))["data"]
        bad = (await gql(ACCEPT, {"input": {"proposalId": proposal_id, "markdown": "2"}}, token=manager))[
            "data"
        ]
        accepted = (
            await gql(
                ACCEPT,
                {"input": {"proposalId": proposal_id, "markdown": "0.4", "note": "周末"}},
                token=manager,
            )
        )["data"]
        again = (await gql(ACCEPT, {"input": {"proposalId": proposal_id}}, token=manager))["data"]
        sales_scan = (await gql(SCAN, {"wh": wh}, token=sales_user))["data"]["expiryScanRun"]
    finally:
        await expiring.retire_lots(w.sku.id)

    # Before any scan the lot past its expiry date already reads as expired, with nothing available.
    assert before == {
        "expired": {
            "nodes": [{"status": "expired", "available": {"value": "0"}, "batch": {"status": "expired"}}]
        },
        "available": {"totalCount": 0},
        "batches": {"nodes": [{"lotCode": old.lot_code, "status": "expired"}]},
    }
    assert first == {
        "__typename": "ExpiryScan",
        "day": today.isoformat(),
        "batchesExpired": 1,
        "alertsRaised": 2,
        "proposalsMade": 1,
    }
    assert (second["batchesExpired"], second["alertsRaised"], second["proposalsMade"]) == (0, 0, 0)
    assert alerts["totalCount"] == 2
    by_lot = {a["batch"]["lotCode"]: a for a in alerts["nodes"]}
    assert by_lot[near.lot_code]["kind"] == "near_expiry"
    assert by_lot[near.lot_code]["daysLeft"] == 1
    assert by_lot[near.lot_code]["quantity"] == {"value": "10", "unit": "kg"}
    assert sorted(
        (s["location"]["code"], s["status"], s["quantity"]["value"], s["available"]["value"])
        for s in by_lot[near.lot_code]["stock"]
    ) == [
        (w.wh.bins[0], "available", "5", "5"),
        (w.wh.bins[1], "available", "5", "5"),
    ]
    assert (by_lot[old.lot_code]["kind"], by_lot[old.lot_code]["batch"]["status"]) == ("expired", "expired")
    assert [(s["status"], s["available"]["value"]) for s in by_lot[old.lot_code]["stock"]] == [
        ("expired", "0")
    ]
    assert [
        (p["batch"]["lotCode"], p["daysLeft"], p["suggestedMarkdown"], p["quantity"]["value"])
        for p in proposals["nodes"]
    ] == [(promo.lot_code, 2, "0.3", "6")]
    assert summary["stockSummary"] == {
        "onHand": {"value": "20"},
        "available": {"value": "16"},
        "expired": {"value": "4"},
    }
    assert by_warehouse["promotionProposalAccept"]["code"] == "FORBIDDEN"
    assert (bad["promotionProposalAccept"]["code"], bad["promotionProposalAccept"]["path"]) == (
        "VALIDATION",
        ["markdown"],
    )
    assert accepted["promotionProposalAccept"] == {
        "__typename": "PromotionProposal",
        "status": "accepted",
        "markdown": "0.4",
        "decidedBy": accepted["promotionProposalAccept"]["decidedBy"],
        "note": "周末",
    }
    assert accepted["promotionProposalAccept"]["decidedBy"].startswith("u-")
    assert again["promotionProposalAccept"]["code"] == "CONFLICT"
    assert sales_scan["code"] == "FORBIDDEN"
