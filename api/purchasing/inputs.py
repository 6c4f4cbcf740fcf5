"""Purchasing inputs: documents by global ID, master data by code (as the services take them)."""

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.scalars import JSON

from api import relay as rl
from api.quality import inputs as quality_inputs
from api.quality.inputs import SensorReadingInput
from domain.catalog.services import OrderLineInput
from domain.purchasing import receipts, returns
from domain.quality import rules as quality_rules


@strawberry.input
class OrderLineCreateInput:
    sku_code: str
    quantity: Decimal
    unit: str | None = strawberry.field(default=None, description="None: the SKU's purchase or sales unit.")
    unit_price: Decimal = Decimal(0)


def order_lines(lines: list[OrderLineCreateInput]) -> list[OrderLineInput]:
    rl.cap_lines(lines)
    return [OrderLineInput(ln.sku_code, ln.quantity, ln.unit, ln.unit_price) for ln in lines]


@strawberry.input
class PurchaseOrderCreateInput:
    supplier_code: str
    warehouse_code: str
    lines: list[OrderLineCreateInput]
    expected_date: date | None = None
    note: str = ""
    idempotency_key: str | None = None
    payment_terms_days: int | None = strawberry.field(
        default=None, description="账期 in days agreed on this order (null: the supplier's terms)."
    )
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Custom field values by key (customFieldDefinitions of this record type)."
    )


@strawberry.input
class PurchaseOrderActionInput:
    purchase_order_id: strawberry.ID
    idempotency_key: str | None = None

    def order_id(self) -> int:
        return order_id(self.purchase_order_id)


def order_id(value: strawberry.ID) -> int:
    return rl.decode_id(value, "PurchaseOrder", ("purchaseOrderId",))


@strawberry.input
class ReceiptLineInput:
    order_line_id: strawberry.ID
    quantity: Decimal
    lot_code: str
    location_code: str
    unit: str | None = strawberry.field(default=None, description="None: the order line's unit.")
    production_date: date | None = None
    expiry_date: date | None = None
    best_before_date: date | None = None


@strawberry.input
class GoodsReceiptPostInput:
    purchase_order_id: strawberry.ID
    lines: list[ReceiptLineInput]
    sensor_readings: list[SensorReadingInput] = strawberry.field(
        default_factory=list, description="Cold-chain readings of the goods, recorded in the event."
    )
    idempotency_key: str | None = None
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Custom field values by key (customFieldDefinitions of this record type)."
    )

    def domain_readings(self) -> list[quality_rules.SensorReadingInput]:
        return quality_inputs.readings(self.sensor_readings)

    def to_domain(self) -> list[receipts.ReceiptLineInput]:
        rl.cap_lines(self.lines)
        return [
            receipts.ReceiptLineInput(
                order_line_id=rl.decode_id(
                    ln.order_line_id, "PurchaseOrderLine", ("lines", str(i), "orderLineId")
                ),
                quantity=ln.quantity,
                lot_code=ln.lot_code,
                location_code=ln.location_code,
                unit=ln.unit,
                production_date=ln.production_date,
                expiry_date=ln.expiry_date,
                best_before_date=ln.best_before_date,
            )
            for i, ln in enumerate(self.lines)
        ]


@strawberry.input
class SupplierReturnLineInput:
    order_line_id: strawberry.ID
    batch_id: strawberry.ID
    location_code: str
    quantity: Decimal = strawberry.field(description="In the SKU's base unit.")


@strawberry.input
class SupplierReturnPostInput:
    purchase_order_id: strawberry.ID
    lines: list[SupplierReturnLineInput]
    reason: str = ""
    idempotency_key: str | None = None

    def to_domain(self) -> list[returns.ReturnLineInput]:
        rl.cap_lines(self.lines)
        return [
            returns.ReturnLineInput(
                order_line_id=rl.decode_id(
                    ln.order_line_id, "PurchaseOrderLine", ("lines", str(i), "orderLineId")
                ),
                batch_id=rl.decode_id(ln.batch_id, "Batch", ("lines", str(i), "batchId")),
                location_code=ln.location_code,
                quantity=ln.quantity,
            )
            for i, ln in enumerate(self.lines)
        ]
