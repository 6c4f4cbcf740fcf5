"""A list page's prefetched relations answer exactly what the per-node loaders answer (issue 15).

``purchaseOrders`` and ``salesOrders`` fill the request's loaders before their rows resolve and then resolve
relations without awaiting; ``node(id:)`` resolves the same types through the loaders one by one. Both paths
must give the same JSON for every field, whatever the query selects and however (fragments included).
The list pages read their orders, lines and documents as ``.values()`` rows (``api.loaders.Values``) where
``node(id:)`` reads model instances: every column of each type is selected below, custom fields, dates and
decimals included.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.relay import encode_id
from domain.catalog.services import OrderLineInput
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity, FieldDef, Kind
from domain.partners import services as partners
from domain.purchasing import receipts
from domain.purchasing import returns as supplier_returns
from domain.purchasing import services as purchasing
from domain.purchasing.models import GoodsReceiptLine, PurchaseOrderLine
from domain.sales import returns as customer_returns
from domain.sales import services as sales
from domain.sales import shipments
from domain.sales.models import SalesOrderLine, ShipmentLine
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import World, code, make_world

CUSTOM_KEY = "orderListNote"
PO_FIELDS = [
    "number",
    "status",
    "currency expectedDate note createdAt confirmedAt paymentTermsDays customFields",
    "supplier { code name }",
    "warehouse { code }",
    "total { amount currency }",
    "lines { sku { code baseUnit } quantity { value unit } unitPrice { amount } amount { amount } }",
    "lines { id unitFactor }",
    "lines { received { value unit } returned { value unit } }",
    # A list page makes only the line figures its query selects: selected through fragments too.
    "lines { ... on PurchaseOrderLine { amount { amount currency } } }",
    "lines { ...on Node { ... on PurchaseOrderLine { unitFactor returned { value } } } }",
    "receipts { number lines { batch { lotCode } quantity { value unit } } }",
    "receipts { id receivedAt customFields warehouse { code } }",
    "returns { number }",
    "returns { id reason returnedAt lines { quantity { value unit } } }",
    # A list page builds only the order fields its query selects: through fragments, aliases and
    # directives too (an order field it left out would answer null).
    "... on PurchaseOrder { supplier { name } total { currency } }",
    "...on Node { ... on PurchaseOrder { approval { status } customFields returns { reason } } }",
    "vendor: supplier { code } sum: total { amount } items: lines { quantity { value } }",
    "receipts @include(if: true) { number } approval @skip(if: false) { id }",
]
SO_FIELDS = [
    "number",
    "status",
    "currency requestedDate note createdAt confirmedAt customFields",
    "customer { code name }",
    "warehouse { code }",
    "channel { code }",
    "total { amount currency }",
    "lines { sku { code } quantity { value unit } unitPrice { amount } amount { amount } unitFactor }",
    "lines { id shipped { value unit } returned { value unit } }",
    "lines { ... on SalesOrderLine { amount { amount currency } } }",
    "lines { ...on Node { ... on SalesOrderLine { unitFactor returned { value } } } }",
    "shipments { number lines { batch { lotCode } } }",
    "shipments { id shippedAt warehouse { code } }",
    "returns { number }",
    "returns { id reason returnedAt lines { quantity { value unit } } }",
    "... on SalesOrder { customer { name } total { currency } }",
    "...on Node { ... on SalesOrder { channel { code } customFields returns { reason } } }",
    "buyer: customer { code } sum: total { amount } items: lines { shipped { value } }",
    "shipments @include(if: true) { number } warehouse @skip(if: false) { code }",
]


async def _orders(world: World) -> tuple[str, list[int], list[int]]:
    """Two received purchase orders of two lines and two shipped sales orders, for one new customer; the
    first of each with a date, a note, custom values (on its receipt too) and a return."""
    now = datetime.now(UTC)
    for entity in (Entity.PURCHASE_ORDER, Entity.GOODS_RECEIPT, Entity.SALES_ORDER):
        await custom_fields.definition_save(entity, FieldDef(CUSTOM_KEY, Kind.TEXT, "备注", "Note"))
    customer = await partners.create_customer(code("CUS"), "客户 customer")
    po_ids, so_ids = [], []
    for n in range(2):
        po = await purchasing.purchase_order_create(
            world.supplier_code,
            world.warehouse_code,
            [OrderLineInput(world.sku_code, Decimal(2), "box", Decimal("30.50")) for _ in range(2)],
            expected_date=now.date() + timedelta(days=5) if n == 0 else None,
            note="到货前电话 call first" if n == 0 else "",
            payment_terms_days=30 if n == 0 else None,
        )
        await purchasing.purchase_order_confirm(po.document_id, now)
        lines = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
        receipt = await receipts.goods_receipt_post(
            po.document_id,
            [
                receipts.ReceiptLineInput(ln.id, Decimal(2), code(f"LOT{n}{i}"), world.warehouse_code)
                for i, ln in enumerate(lines)
            ],
            now,
        )
        if n == 0:
            await custom_fields.values_set(Entity.PURCHASE_ORDER, po.document_id, {CUSTOM_KEY: "加急 urgent"})
            await custom_fields.values_set(Entity.GOODS_RECEIPT, receipt.document_id, {CUSTOM_KEY: "ok"})
            received = await GoodsReceiptLine.filter(receipt_id=receipt.document_id).order_by("id").first()
            assert received is not None
            await supplier_returns.supplier_return_post(
                po.document_id,
                [
                    supplier_returns.ReturnLineInput(
                        received.order_line_id, received.batch_id, world.warehouse_code, Decimal("1.5")
                    )
                ],
                now,
                reason="破损 damaged",
            )
        po_ids.append(po.document_id)
    for n in range(2):
        so = await sales.sales_order_create(
            customer.code,
            world.warehouse_code,
            [OrderLineInput(world.sku_code, Decimal(3), None, Decimal(4))],
            requested_date=now.date() + timedelta(days=2) if n == 0 else None,
            note="送货上门 deliver" if n == 0 else "",
        )
        await sales.sales_order_confirm(so.document_id, now)
        so_lines = await SalesOrderLine.filter(order_id=so.document_id)
        shipment = await shipments.shipment_post(
            so.document_id, [shipments.ShipmentLineInput(ln.id, Decimal(3)) for ln in so_lines], now
        )
        if n == 0:
            await custom_fields.values_set(Entity.SALES_ORDER, so.document_id, {CUSTOM_KEY: "VIP"})
            shipped = await ShipmentLine.filter(shipment_id=shipment.document_id).first()
            assert shipped is not None
            await customer_returns.customer_return_post(
                so.document_id,
                [
                    customer_returns.CustomerReturnLineInput(
                        shipped.order_line_id, shipped.batch_id, world.warehouse_code, Decimal(1)
                    )
                ],
                now,
                reason="退货 unwanted",
            )
        so_ids.append(so.document_id)
    return customer.code, po_ids, so_ids


async def _same_by_list_and_by_node(
    gql: Gql, token: str, root: str, type_name: str, args: str, fields: str, ids: list[int]
) -> None:
    listed = await gql(
        f"query {{ {root}(first: 50, {args}) {{ edges {{ node {{ id {fields} }} }} "
        f"nodes {{ ...F }} }} }} fragment F on {type_name} {{ id {fields} }}",
        token=token,
    )
    assert "errors" not in listed, listed
    edges = {e["node"]["id"]: e["node"] for e in listed["data"][root]["edges"]}
    assert {n["id"]: n for n in listed["data"][root]["nodes"]} == edges
    assert set(edges) == {encode_id(type_name, i) for i in ids}
    for gid, node in edges.items():
        one = await gql(f'{{ node(id: "{gid}") {{ ... on {type_name} {{ id {fields} }} }} }}', token=token)
        assert one["data"]["node"] == node


async def test_order_lists_answer_what_the_nodes_answer(gql: Gql, admin: str) -> None:
    world = await make_world()
    customer, po_ids, so_ids = await _orders(world)
    supplier = f'supplierId: "{encode_id("Supplier", world.supplier_id)}"'
    await _same_by_list_and_by_node(
        gql, admin, "purchaseOrders", "PurchaseOrder", supplier, " ".join(PO_FIELDS), po_ids
    )
    body = await gql(f'{{ customers(search: "{customer}") {{ nodes {{ id }} }} }}', token=admin)
    customer_id = body["data"]["customers"]["nodes"][0]["id"]
    await _same_by_list_and_by_node(
        gql, admin, "salesOrders", "SalesOrder", f'customerId: "{customer_id}"', " ".join(SO_FIELDS), so_ids
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(po=st.lists(st.sampled_from(PO_FIELDS), min_size=1, max_size=4, unique=True))
async def test_any_selection_of_order_fields_is_answered_alike(gql: Gql, admin: str, po: list[str]) -> None:
    world = await make_world()
    _, po_ids, _ = await _orders(world)
    supplier = f'supplierId: "{encode_id("Supplier", world.supplier_id)}"'
    await _same_by_list_and_by_node(
        gql, admin, "purchaseOrders", "PurchaseOrder", supplier, " ".join(po), po_ids
    )


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(so=st.lists(st.sampled_from(SO_FIELDS), min_size=1, max_size=4, unique=True))
async def test_any_selection_of_sales_order_fields_is_answered_alike(
    gql: Gql, admin: str, so: list[str]
) -> None:
    world = await make_world()
    customer, _, so_ids = await _orders(world)
    body = await gql(f'{{ customers(search: "{customer}") {{ nodes {{ id }} }} }}', token=admin)
    customer_id = body["data"]["customers"]["nodes"][0]["id"]
    await _same_by_list_and_by_node(
        gql, admin, "salesOrders", "SalesOrder", f'customerId: "{customer_id}"', " ".join(so), so_ids
    )
