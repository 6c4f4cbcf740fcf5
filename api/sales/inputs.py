"""Sales inputs: documents by global ID, master data by code (as the services take them)."""

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.scalars import JSON

from api import relay as rl
from api.purchasing.inputs import OrderLineCreateInput
from api.quality import inputs as quality_inputs
from api.quality.inputs import SensorReadingInput
from domain.quality import rules as quality_rules
from domain.sales import returns, shipments


def order_id(value: strawberry.ID) -> int:
    return rl.decode_id(value, "SalesOrder", ("salesOrderId",))


def _line_id(value: strawberry.ID, i: int) -> int:
    return rl.decode_id(value, "SalesOrderLine", ("lines", str(i), "orderLineId"))


@strawberry.input
class SalesOrderCreateInput:
    customer_code: str
    warehouse_code: str
    lines: list[OrderLineCreateInput]
    requested_date: date | None = None
    note: str = ""
    idempotency_key: str | None = None
    channel_code: str | None = strawberry.field(
        default=None, description="The sales channel (of the order's warehouse) the order came through."
    )
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Custom field values by key (customFieldDefinitions of this record type)."
    )


@strawberry.input
class SalesOrderActionInput:
    sales_order_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input
class ShipmentLineInput:
    order_line_id: strawberry.ID
    quantity: Decimal
    unit: str | None = strawberry.field(default=None, description="None: the order line's unit.")
    batch_id: strawberry.ID | None = strawberry.field(default=None, description="None: reserved, then FEFO.")


@strawberry.input
class ShipmentPostInput:
    sales_order_id: strawberry.ID
    lines: list[ShipmentLineInput]
    sensor_readings: list[SensorReadingInput] = strawberry.field(
        default_factory=list, description="Cold-chain readings of the goods, recorded in the event."
    )
    idempotency_key: str | None = None

    def domain_readings(self) -> list[quality_rules.SensorReadingInput]:
        return quality_inputs.readings(self.sensor_readings)

    def to_domain(self) -> list[shipments.ShipmentLineInput]:
        rl.cap_lines(self.lines)
        return [
            shipments.ShipmentLineInput(
                order_line_id=_line_id(ln.order_line_id, i),
                quantity=ln.quantity,
                unit=ln.unit,
                batch_id=rl.maybe_id(ln.batch_id, "Batch", ("lines", str(i), "batchId")),
            )
            for i, ln in enumerate(self.lines)
        ]


@strawberry.input
class CustomerReturnLineInput:
    order_line_id: strawberry.ID
    batch_id: strawberry.ID
    location_code: str
    quantity: Decimal = strawberry.field(description="In the SKU's base unit.")


@strawberry.input
class CustomerReturnPostInput:
    sales_order_id: strawberry.ID
    lines: list[CustomerReturnLineInput]
    reason: str = ""
    idempotency_key: str | None = None

    def to_domain(self) -> list[returns.CustomerReturnLineInput]:
        rl.cap_lines(self.lines)
        return [
            returns.CustomerReturnLineInput(
                order_line_id=_line_id(ln.order_line_id, i),
                batch_id=rl.decode_id(ln.batch_id, "Batch", ("lines", str(i), "batchId")),
                location_code=ln.location_code,
                quantity=ln.quantity,
            )
            for i, ln in enumerate(self.lines)
        ]
