"""Suggestions (补货建议单): idempotent per SKU × warehouse × week, explained, approved into a confirmed PO
that respects the MOQ, and a store manager acts on its own store only."""

from datetime import UTC, date, datetime
from decimal import Decimal

from api import relay as rl
from domain.purchasing.models import PurchaseOrder, PurchaseOrderLine
from domain.replenishment import suggestions
from domain.replenishment.models import StoreAssignment, Suggestion, SupplierPrice
from domain.sales import shipments
from tests import factories
from tests.integration.replenishment.conftest import token_for, user_and_token

TODAY = date(2030, 6, 24)  # a Monday; history: the three weeks before
LIST = """
query($wh: String) {
  replenishmentSuggestions(warehouseCode: $wh, first: 20) {
    edges { node { id status quantity suggestedQuantity supplierCode
      explanation {
        forecast safetyStock orderUpTo usableOnHand need binding forecastSource packSize minQuantity
      }
    } }
  }
}"""
UPDATE = """
mutation($input: ReplenishmentSuggestionUpdateInput!) {
  replenishmentSuggestionUpdate(input: $input) {
    __typename ... on ReplenishmentSuggestion { quantity } ... on UserError { code message path }
  }
}"""
APPROVE = """
mutation($ids: [ID!]!) {
  replenishmentSuggestionsApprove(input: {ids: $ids}) {
    __typename
    ... on ReplenishmentSuggestionList { suggestions { status quantity purchaseOrderId } }
    ... on UserError { code message path }
  }
}"""


async def selling_store(sold_per_week: Decimal = Decimal(10)):
    """A SKU: 35 kg received, 10 kg shipped in each of the three weeks before TODAY; a price list line."""
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    await factories.receive(sku, wh, supplier, Decimal(35), received_at=datetime(2030, 6, 2, 20, tzinfo=UTC))
    for day in (4, 11, 18):
        order = await factories.make_sales_order(customer, wh, sku, sold_per_week)
        line = shipments.ShipmentLineInput(order.line_id, sold_per_week)
        await shipments.shipment_post(order.id, [line], datetime(2030, 6, day, 3, tzinfo=UTC))
    await SupplierPrice.create(
        supplier_id=supplier.id,
        sku_id=sku.id,
        unit_price=Decimal("8.5"),
        min_quantity=Decimal(20),
        pack_size=Decimal(10),
        lead_time_days=7,
        valid_from=date(2030, 1, 1),
    )
    return sku, wh, supplier


async def test_a_second_run_updates_the_draft_and_the_buyer_approves_it_into_a_confirmed_po(gql):
    sku, wh, supplier = await selling_store()
    first = await suggestions.suggestions_generate(wh.id, TODAY)
    again = await suggestions.suggestions_generate(wh.id, TODAY)
    assert first == again
    assert await Suggestion.filter(sku_id=sku.id, warehouse_id=wh.id).count() == 1
    buyer = await token_for("buyer")
    [edge] = (await gql(LIST, {"wh": wh.code}, buyer))["data"]["replenishmentSuggestions"]["edges"]
    node = edge["node"]
    # 10 a week, no spread; 14 days of lead time + review: up to 20; 5 usable; need 15; packs of 10 -> 20.
    assert node["explanation"] == {
        "forecast": "20",
        "safetyStock": "0",
        "orderUpTo": "20",
        "usableOnHand": "5",
        "need": "15",
        "binding": "pack_size",
        "forecastSource": "history_mean",
        "packSize": "10",
        "minQuantity": "20",
    }
    assert (node["status"], node["quantity"], node["supplierCode"]) == ("draft", "20", supplier.code)
    approved = (await gql(APPROVE, {"ids": [node["id"]]}, buyer))["data"]["replenishmentSuggestionsApprove"]
    [line] = approved["suggestions"]
    assert (line["status"], line["quantity"]) == ("approved", "20")
    order = await PurchaseOrder.get(id=rl.decode_id(line["purchaseOrderId"], "PurchaseOrder", ()))
    assert (order.status, order.supplier_id, order.warehouse_id) == ("confirmed", supplier.id, wh.id)
    po_line = await PurchaseOrderLine.get(order_id=order.id)
    assert (po_line.quantity * po_line.unit_factor, po_line.unit_price) == (Decimal(20), Decimal("8.5"))
    # A third run in the same week leaves the decision alone and creates nothing new.
    await suggestions.suggestions_generate(wh.id, TODAY)
    assert await Suggestion.filter(sku_id=sku.id, warehouse_id=wh.id).values_list("status", flat=True) == [
        "approved"
    ]


async def test_an_edit_under_the_moq_is_refused_on_approval_and_nothing_is_ordered(gql):
    _, wh, _ = await selling_store()
    [sid] = await suggestions.suggestions_generate(wh.id, TODAY)
    buyer = await token_for("buyer")
    gid = rl.encode_id("ReplenishmentSuggestion", sid)
    edited = (await gql(UPDATE, {"input": {"id": gid, "quantity": "10"}}, buyer))["data"]
    assert edited["replenishmentSuggestionUpdate"] == {
        "__typename": "ReplenishmentSuggestion",
        "quantity": "10",
    }
    orders_before = await PurchaseOrder.filter(warehouse_id=wh.id).count()
    refused = (await gql(APPROVE, {"ids": [gid]}, buyer))["data"]["replenishmentSuggestionsApprove"]
    assert (refused["__typename"], refused["code"], refused["path"]) == (
        "ValidationError",
        "VALIDATION",
        ["ids", "0"],
    )
    assert "minimum order of 20" in refused["message"]
    assert await PurchaseOrder.filter(warehouse_id=wh.id).count() == orders_before
    assert (await Suggestion.get(id=sid)).status == "draft"
    # The edited quantity survives a re-run; the suggestion itself is refreshed.
    await suggestions.suggestions_generate(wh.id, TODAY)
    row = await Suggestion.get(id=sid)
    assert (row.quantity, row.suggested_quantity) == (Decimal(10), Decimal(20))


async def test_a_store_manager_sees_and_approves_only_its_own_store(gql):
    _, own, _ = await selling_store()
    _, other, _ = await selling_store()
    [own_id] = await suggestions.suggestions_generate(own.id, TODAY)
    [other_id] = await suggestions.suggestions_generate(other.id, TODAY)
    user_id, manager = await user_and_token("store_manager")
    await StoreAssignment.create(user_id=user_id, warehouse_id=own.id)
    edges = (await gql(LIST, {}, manager))["data"]["replenishmentSuggestions"]["edges"]
    assert [e["node"]["id"] for e in edges] == [rl.encode_id("ReplenishmentSuggestion", own_id)]
    other_gid = rl.encode_id("ReplenishmentSuggestion", other_id)
    refused = (await gql(APPROVE, {"ids": [other_gid]}, manager))["data"]["replenishmentSuggestionsApprove"]
    assert (refused["__typename"], refused["code"]) == ("NotFound", "NOT_FOUND")
    assert (await Suggestion.get(id=other_id)).status == "draft"
    mine = (await gql(APPROVE, {"ids": [rl.encode_id("ReplenishmentSuggestion", own_id)]}, manager))["data"]
    assert mine["replenishmentSuggestionsApprove"]["suggestions"][0]["status"] == "approved"


async def test_a_sales_clerk_may_not_list_suggestions(gql):
    body = await gql(LIST, {}, await token_for("sales"))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
