"""The embedded default: a receipt and a shipment round trip on SQLite, where nothing is locked FOR UPDATE."""

from decimal import Decimal

from domain.inventory import consistency
from domain.inventory.models import StockMove
from domain.purchasing.models import PurchaseOrder
from domain.sales import shipments
from domain.sales.models import SalesOrder
from tests import factories
from tests.factories import NOW, days


async def test_a_receipt_and_a_fefo_shipment_round_trip_on_sqlite(sqlite_db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    late = await factories.receive(
        sku, wh, supplier, Decimal(10), unit_cost=Decimal(10), expiry_date=days(20)
    )
    early = await factories.receive(sku, wh, supplier, Decimal(5), unit_cost=Decimal(16), expiry_date=days(4))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(7))

    posted = await shipments.shipment_post(
        order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(7))], NOW, key="sqlite-1"
    )
    replay = await shipments.shipment_post(
        order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(7))], NOW, key="sqlite-1"
    )

    moves = await StockMove.filter(doc_type="shipment", doc_id=posted.document_id).order_by("id")
    assert [(m.batch_id, m.quantity, m.unit_cost) for m in moves] == [
        (early.batch_id, 5, 12),
        (late.batch_id, 2, 12),
    ]
    assert (replay.document_id, replay.replayed) == (posted.document_id, True)
    assert (await PurchaseOrder.get(id=late.order.id)).status == "received"
    assert (await SalesOrder.get(id=order.id)).status == "shipped"
    assert await factories.on_hand(sku) == Decimal(8)
    assert await factories.valuation(sku) == (Decimal(8), Decimal(96), Decimal(12))
    assert await consistency.check_consistency() == []
