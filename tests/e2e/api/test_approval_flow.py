"""Issue 17's flow: add the 90-day rule, watch a PO wait for approval, approve two levels, confirm."""

import json
from decimal import Decimal
from typing import Any

from api.relay import encode_id
from domain.catalog.services import OrderLineInput
from domain.partners import services as partners
from domain.purchasing import services as purchasing
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import World, code, make_world

RULE = """mutation($input: ApprovalRuleCreateInput!) { approvalRuleCreate(input: $input) {
  __typename ... on ApprovalRule { id name levels { approverRole minAmount } }
  ... on UserError { message code path } } }"""
CONFIRM = """mutation($input: PurchaseOrderActionInput!) { purchaseOrderConfirm(input: $input) {
  __typename ... on Posted { number }
  ... on ApprovalRequired { message code requestId level waitingFor }
  ... on UserError { message code path } } }"""
APPROVE = """mutation($input: ApprovalDecideInput!) { approvalApprove(input: $input) {
  __typename ... on ApprovalRequest { status nextLevel decisions { level username verdict reason } }
  ... on UserError { message code } } }"""
REJECT = APPROVE.replace("approvalApprove", "approvalReject")
PENDING = "{ pendingApprovals { id documentId nextLevel facts } }"
ORDER = """query($id: ID!) { node(id: $id) { ... on PurchaseOrder { status paymentTermsDays
  approval { status nextLevel decisions { level username verdict } } } } }"""


def _condition(supplier_code: str) -> str:
    # The demo rule is just the first clause; the supplier clause keeps this test's rule off every other
    # test's orders in the shared database.
    return json.dumps(
        {
            "and": [
                {">": [{"var": "payment_terms_days"}, 90]},
                {"==": [{"var": "supplier_code"}, supplier_code]},
            ]
        }
    )


async def _order(world: World, terms: int | None) -> str:
    posted = await purchasing.purchase_order_create(
        world.supplier_code,
        world.warehouse_code,
        [OrderLineInput(world.sku_code, Decimal(2), "box", Decimal("30.50"))],
        payment_terms_days=terms,
    )
    return encode_id("PurchaseOrder", posted.document_id)


async def _rule(gql: Gql, admin: str, world: World, on_reject: str = "back_to_draft") -> dict[str, Any]:
    levels = [{"approverRole": "finance"}, {"approverRole": "admin"}]  # 财务, then 副总 (the admin role here)
    body = await gql(
        RULE,
        {
            "input": {
                "name": "账期>90天需副总审批",
                "documentType": "purchase_order",
                "condition": _condition(world.supplier_code),
                "levels": levels,
                "onReject": on_reject,
            }
        },
        token=admin,
    )
    result: dict[str, Any] = body["data"]["approvalRuleCreate"]
    assert result["__typename"] == "ApprovalRule", result
    return result


async def test_a_po_with_120_day_terms_waits_for_two_levels_then_confirms(
    gql: Gql, admin: str, token_for: Any
) -> None:
    world = await make_world()
    await _rule(gql, admin, world)
    buyer, finance, vp = await token_for("buyer"), await token_for("finance"), await token_for("admin")
    po = await _order(world, terms=120)

    waiting = (await gql(CONFIRM, {"input": {"purchaseOrderId": po}}, token=buyer))["data"][
        "purchaseOrderConfirm"
    ]
    assert waiting["__typename"] == "ApprovalRequired", waiting
    assert (waiting["code"], waiting["level"], waiting["waitingFor"]) == (
        "APPROVAL_REQUIRED",
        1,
        "role finance",
    )
    request = waiting["requestId"]

    # The buyer asked, so the buyer cannot approve; the VP cannot skip the finance level.
    skipped = (await gql(APPROVE, {"input": {"requestId": request}}, token=vp))["data"]["approvalApprove"]
    assert skipped["code"] == "FORBIDDEN"
    mine = (await gql(PENDING, token=finance))["data"]["pendingApprovals"]
    assert [r["documentId"] for r in mine if r["documentId"] == po] == [po]
    assert next(r for r in mine if r["documentId"] == po)["facts"]["payment_terms_days"] == 120

    first = (await gql(APPROVE, {"input": {"requestId": request, "reason": "ok"}}, token=finance))["data"][
        "approvalApprove"
    ]
    assert (first["status"], first["nextLevel"]) == ("pending", 2)
    again = (await gql(CONFIRM, {"input": {"purchaseOrderId": po}}, token=buyer))["data"][
        "purchaseOrderConfirm"
    ]
    assert (again["__typename"], again["level"], again["requestId"]) == ("ApprovalRequired", 2, request)

    second = (await gql(APPROVE, {"input": {"requestId": request}}, token=vp))["data"]["approvalApprove"]
    assert second["status"] == "approved"
    assert [d["level"] for d in second["decisions"]] == [1, 2]
    done = (await gql(CONFIRM, {"input": {"purchaseOrderId": po}}, token=buyer))["data"][
        "purchaseOrderConfirm"
    ]
    assert done["__typename"] == "Posted", done

    order = (await gql(ORDER, {"id": po}, token=admin))["data"]["node"]
    assert (order["status"], order["paymentTermsDays"]) == ("confirmed", 120)
    assert order["approval"]["status"] == "used"


async def test_a_po_with_30_day_terms_confirms_at_once(gql: Gql, admin: str) -> None:
    world = await make_world()
    await _rule(gql, admin, world)
    po = await _order(world, terms=30)
    done = (await gql(CONFIRM, {"input": {"purchaseOrderId": po}}, token=admin))["data"][
        "purchaseOrderConfirm"
    ]
    assert done["__typename"] == "Posted", done
    order = (await gql(ORDER, {"id": po}, token=admin))["data"]["node"]
    assert order["approval"] is None


async def test_a_rejection_with_cancel_cancels_the_order_and_records_why(
    gql: Gql, admin: str, token_for: Any
) -> None:
    world = await make_world()
    await _rule(gql, admin, world, on_reject="cancel")
    buyer, finance = await token_for("buyer"), await token_for("finance")
    po = await _order(world, terms=180)
    waiting = (await gql(CONFIRM, {"input": {"purchaseOrderId": po}}, token=buyer))["data"][
        "purchaseOrderConfirm"
    ]

    unexplained = (await gql(REJECT, {"input": {"requestId": waiting["requestId"]}}, token=finance))["data"]
    assert unexplained["approvalReject"]["code"] == "VALIDATION"
    rejected = await gql(
        REJECT, {"input": {"requestId": waiting["requestId"], "reason": "账期太长"}}, token=finance
    )
    assert rejected["data"]["approvalReject"]["decisions"] == [
        {
            "level": 1,
            "username": rejected["data"]["approvalReject"]["decisions"][0]["username"],
            "verdict": "rejected",
            "reason": "账期太长",
        }
    ]
    order = (await gql(ORDER, {"id": po}, token=admin))["data"]["node"]
    assert (order["status"], order["approval"]["status"]) == ("cancelled", "rejected")


async def test_only_an_admin_adds_rules_and_a_bad_condition_is_a_validation_error(
    gql: Gql, admin: str, token_for: Any
) -> None:
    world = await make_world()
    buyer = await token_for("buyer")
    variables = {
        "input": {
            "name": "x",
            "documentType": "purchase_order",
            "condition": _condition(world.supplier_code),
            "levels": [{"approverRole": "finance"}],
        }
    }
    assert (await gql(RULE, variables, token=buyer))["data"]["approvalRuleCreate"]["code"] == "FORBIDDEN"
    variables["input"]["condition"] = '{"eval": ["__import__(\'os\')"]}'
    bad = (await gql(RULE, variables, token=admin))["data"]["approvalRuleCreate"]
    assert (bad["code"], bad["path"]) == ("VALIDATION", ["condition"])


async def test_a_condition_nested_thousands_deep_is_a_validation_error_not_a_crash(
    gql: Gql, admin: str
) -> None:
    variables = {
        "input": {
            "name": "deep",
            "documentType": "purchase_order",
            "condition": "[" * 1990 + "]" * 1990,
            "levels": [{"approverRole": "finance"}],
        }
    }
    bad = (await gql(RULE, variables, token=admin))["data"]["approvalRuleCreate"]
    assert (bad["code"], bad["path"]) == ("VALIDATION", ["condition"])


async def test_a_repeated_approval_key_replays_and_the_same_key_on_another_request_conflicts(
    gql: Gql, admin: str, token_for: Any
) -> None:
    world = await make_world()
    await _rule(gql, admin, world)
    buyer, finance = await token_for("buyer"), await token_for("finance")
    requests = []
    for _ in range(2):
        po = await _order(world, terms=120)
        body = await gql(CONFIRM, {"input": {"purchaseOrderId": po}}, token=buyer)
        requests.append(body["data"]["purchaseOrderConfirm"]["requestId"])

    first = {"input": {"requestId": requests[0], "idempotencyKey": "approve-1"}}
    once = (await gql(APPROVE, first, token=finance))["data"]["approvalApprove"]
    twice = (await gql(APPROVE, first, token=finance))["data"]["approvalApprove"]
    assert once == twice
    assert [d["level"] for d in twice["decisions"]] == [1]
    other = {"input": {"requestId": requests[1], "idempotencyKey": "approve-1"}}
    clash = (await gql(APPROVE, other, token=finance))["data"]["approvalApprove"]
    assert clash["code"] == "CONFLICT"


UPDATE = """mutation($input: ApprovalRuleUpdateInput!) { approvalRuleUpdate(input: $input) {
  __typename ... on ApprovalRule { id levels { approverRole approverUserId minAmount } active }
  ... on UserError { message code path } } }"""
DELETE = """mutation($input: ApprovalRuleDeleteInput!) { approvalRuleDelete(input: $input) {
  __typename ... on ApprovalRule { id active } ... on UserError { code } } }"""
RULES = '{ approvalRules(documentType: "purchase_order") { id name active condition } }'


async def test_an_admin_changes_a_rule_to_a_named_vp_with_a_tier_then_switches_it_off(
    gql: Gql, admin: str, token_for: Any
) -> None:
    world = await make_world()
    created = await _rule(gql, admin, world)
    vp = code("vp").lower()
    await partners.create_user(vp, "correct-horse-battery", "admin")
    levels = [{"approverRole": "finance"}, {"approverUsername": vp, "minAmount": "50000.00"}]
    variables = {
        "input": {
            "ruleId": created["id"],
            "name": "账期>90天需副总审批",
            "documentType": "purchase_order",
            "condition": _condition(world.supplier_code),
            "levels": levels,
        }
    }
    updated = (await gql(UPDATE, variables, token=admin))["data"]["approvalRuleUpdate"]
    assert updated["levels"][1]["minAmount"] == "50000"
    assert updated["levels"][1]["approverUserId"] is not None

    # 2 boxes at 30.50 is under the VP's tier: finance alone lets the order through.
    buyer, finance = await token_for("buyer"), await token_for("finance")
    po = await _order(world, terms=120)
    waiting = (await gql(CONFIRM, {"input": {"purchaseOrderId": po}}, token=buyer))["data"][
        "purchaseOrderConfirm"
    ]
    approved = await gql(APPROVE, {"input": {"requestId": waiting["requestId"]}}, token=finance)
    assert approved["data"]["approvalApprove"]["status"] == "approved"

    off = (await gql(DELETE, {"input": {"ruleId": created["id"]}}, token=admin))["data"]["approvalRuleDelete"]
    assert off == {"__typename": "ApprovalRule", "id": created["id"], "active": False}
    listed = {r["id"]: r for r in (await gql(RULES, token=admin))["data"]["approvalRules"]}
    assert listed[created["id"]]["active"] is False
    assert listed[created["id"]]["condition"]["and"][0] == {">": [{"var": "payment_terms_days"}, 90]}
    unknown = {**variables["input"], "levels": [{"approverUsername": "nobody-here"}]}
    missing = (await gql(UPDATE, {"input": unknown}, token=admin))["data"]["approvalRuleUpdate"]
    assert (missing["code"], missing["path"]) == ("NOT_FOUND", ["levels", "0", "approverUsername"])
