"""A replenishment suggestion approved into an order that an approval rule holds: the order stays a draft
waiting for its approvers, the request is stored with the approval, and confirming follows the approvals."""

from datetime import UTC, datetime

import pytest

from api import relay as rl
from domain.approvals import services
from domain.approvals.errors import ApprovalRequired
from domain.approvals.models import ApprovalRequest
from domain.approvals.rules import DocumentType, Level
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrder
from domain.replenishment import suggestions
from tests.integration.approvals.conftest import add_rule
from tests.integration.replenishment.conftest import (
    gql,  # noqa: F401 - the fixture, by name
    token_for,
)
from tests.integration.replenishment.test_suggestions import APPROVE, LIST, TODAY, selling_store

NOW = datetime(2030, 6, 24, 2, tzinfo=UTC)


async def test_an_order_made_from_suggestions_waits_when_a_rule_holds_it(gql, person):  # noqa: F811
    _, wh, supplier = await selling_store()
    await suggestions.suggestions_generate(wh.id, TODAY)
    await add_rule(
        DocumentType.PURCHASE_ORDER, {"==": [{"var": "supplier_code"}, supplier.code]}, Level("finance")
    )
    buyer = await token_for("buyer")
    [edge] = (await gql(LIST, {"wh": wh.code}, buyer))["data"]["replenishmentSuggestions"]["edges"]

    approved = (await gql(APPROVE, {"ids": [edge["node"]["id"]]}, buyer))["data"][
        "replenishmentSuggestionsApprove"
    ]
    [line] = approved["suggestions"]
    order_id = rl.decode_id(line["purchaseOrderId"], "PurchaseOrder", ())
    assert line["status"] == "approved"
    assert (await PurchaseOrder.get(id=order_id)).status == "draft"
    request = await ApprovalRequest.get(document_type="purchase_order", document_id=order_id)
    assert request.status == "pending"

    with pytest.raises(ApprovalRequired) as waiting:
        await purchasing.purchase_order_confirm(order_id, NOW, requested_by_id=request.requested_by_id)
    assert waiting.value.request_id == request.id
    await services.approval_approve(request.id, await person("finance"), "", NOW)
    await purchasing.purchase_order_confirm(order_id, NOW, requested_by_id=request.requested_by_id)
    assert (await PurchaseOrder.get(id=order_id)).status == "confirmed"
