"""ASN inputs: documents by global ID, quantities in the order line's unit, dates as business dates."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import strawberry
from strawberry.scalars import JSON

from api import relay as rl
from api.quality import inputs as quality_inputs
from api.quality.inputs import SensorReadingInput
from domain.asn import receiving, rules
from domain.quality import rules as quality_rules


@strawberry.enum(description="A supplier's answer to an order line.")
class AckDecision(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


def _line_id(value: strawberry.ID, i: int) -> int:
    return rl.decode_id(value, "PurchaseOrderLine", ("lines", str(i), "orderLineId"))


@strawberry.input
class AckLineInput:
    order_line_id: strawberry.ID
    decision: AckDecision
    promised_date: date | None = None
    promised_quantity: Decimal | None = strawberry.field(
        default=None, description="In the order line's unit; null with accepted: the ordered quantity."
    )
    note: str = ""


@strawberry.input
class PurchaseOrderAcknowledgeInput:
    purchase_order_id: strawberry.ID
    lines: list[AckLineInput]
    idempotency_key: str | None = None

    def to_domain(self) -> list[rules.AckLine]:
        rl.cap_lines(self.lines)
        return [
            rules.AckLine(
                _line_id(ln.order_line_id, i),
                ln.decision.value,
                ln.promised_quantity,
                ln.promised_date,
                ln.note,
            )
            for i, ln in enumerate(self.lines)
        ]


@strawberry.input
class AsnLineCreateInput:
    order_line_id: strawberry.ID
    lot_code: str
    quantity: Decimal = strawberry.field(description="In the order line's unit.")
    production_date: date | None = None
    expiry_date: date | None = None
    best_before_date: date | None = None


@strawberry.input
class AsnCreateInput:
    purchase_order_id: strawberry.ID
    expected_arrival: datetime = strawberry.field(description="With its zone.")
    lines: list[AsnLineCreateInput]
    sensor_readings: list[SensorReadingInput] = strawberry.field(
        default_factory=list, description="Cold-chain readings at dispatch; recorded with the receipt."
    )
    note: str = ""
    idempotency_key: str | None = None
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Custom field values by key (customFieldDefinitions of this record type)."
    )

    def to_domain(self) -> list[rules.AsnLineInput]:
        rl.cap_lines(self.lines)
        return [
            rules.AsnLineInput(
                _line_id(ln.order_line_id, i),
                ln.lot_code,
                ln.quantity,
                ln.production_date,
                ln.expiry_date,
                ln.best_before_date,
            )
            for i, ln in enumerate(self.lines)
        ]

    def domain_readings(self) -> list[quality_rules.SensorReadingInput]:
        return quality_inputs.readings(self.sensor_readings)


@strawberry.input(description="What arrived for one ASN line; null fields keep the announced value.")
class AsnReceivedLineInput:
    asn_line_id: strawberry.ID
    quantity: Decimal | None = strawberry.field(
        default=None, description="In the order line's unit; 0: none."
    )
    lot_code: str | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    best_before_date: date | None = None
    location_code: str | None = None


@strawberry.input
class GoodsReceiptPostFromAsnInput:
    asn_id: strawberry.ID
    location_code: str
    lines: list[AsnReceivedLineInput] = strawberry.field(
        default_factory=list, description="Corrections only: lines not given arrived as announced."
    )
    idempotency_key: str | None = None

    def asn(self) -> int:
        return rl.decode_id(self.asn_id, "AdvanceShippingNotice", ("asnId",))

    def to_domain(self) -> list[receiving.ReceivedLine]:
        rl.cap_lines(self.lines)
        return [
            receiving.ReceivedLine(
                rl.decode_id(ln.asn_line_id, "AsnLine", ("lines", str(i), "asnLineId")),
                ln.quantity,
                ln.lot_code,
                ln.production_date,
                ln.expiry_date,
                ln.best_before_date,
                ln.location_code,
            )
            for i, ln in enumerate(self.lines)
        ]
