"""Trace GraphQL types of the genealogy: backward and forward trees of a batch, and what a recall must reach.

Built from ``domain.trace.genealogy`` (``BackwardNode``, ``ForwardNode``, ``Recall``); quantities carry the
batch's (or SKU's) base unit, totals of several products are given per unit.
"""

from datetime import date, datetime
from decimal import Decimal

import strawberry

from api import relay as rl
from api.scalars import Quantity, qty
from domain.trace import genealogy


@strawberry.type
class TraceBatch:
    id: strawberry.ID
    sku_code: str
    lot_code: str
    status: str
    expiry_date: date | None
    unit: str = strawberry.field(description="The SKU's base unit, the unit of this batch's quantities.")

    @classmethod
    def of(cls, b: genealogy.BatchRef) -> "TraceBatch":
        return cls(
            id=strawberry.ID(rl.encode_id("Batch", b.id)),
            sku_code=b.sku_code,
            lot_code=b.lot_code,
            status=b.status,
            expiry_date=b.expiry_date,
            unit=b.unit,
        )


@strawberry.type
class TraceParty:
    code: str
    name: str


@strawberry.type
class TraceReceipt:
    number: str
    order_number: str
    received_at: datetime
    quantity: Quantity


@strawberry.type
class TraceCheck:
    number: str
    status: str
    inspector: str
    decided_at: datetime | None


@strawberry.type(description="A batch, where it came from, and the same for each input, recursively.")
class BackwardTrace:
    batch: TraceBatch
    supplier: TraceParty | None
    receipts: list[TraceReceipt]
    checks: list[TraceCheck]
    inputs: list["BackwardTrace"]

    @classmethod
    def of(cls, n: genealogy.BackwardNode) -> "BackwardTrace":
        return cls(
            batch=TraceBatch.of(n.batch),
            supplier=TraceParty(code=n.supplier.code, name=n.supplier.name) if n.supplier else None,
            receipts=[
                TraceReceipt(
                    number=r.number,
                    order_number=r.order_number,
                    received_at=r.received_at,
                    quantity=qty(r.quantity, n.batch.unit),
                )
                for r in n.receipts
            ],
            checks=[TraceCheck(**vars(c)) for c in n.checks],
            inputs=[cls.of(i) for i in n.inputs],
        )


@strawberry.type
class TraceShipment:
    number: str
    order_number: str
    customer: TraceParty
    shipped_at: datetime
    quantity: Quantity


@strawberry.type
class TraceStock:
    location_code: str
    status: str
    quantity: Quantity


@strawberry.type(description="A batch, where it went and what is left, and the same for its products.")
class ForwardTrace:
    batch: TraceBatch
    shipments: list[TraceShipment]
    stock: list[TraceStock]
    outputs: list["ForwardTrace"]

    @classmethod
    def of(cls, n: genealogy.ForwardNode) -> "ForwardTrace":
        return cls(
            batch=TraceBatch.of(n.batch),
            shipments=[
                TraceShipment(
                    number=s.number,
                    order_number=s.order_number,
                    customer=TraceParty(code=s.customer.code, name=s.customer.name),
                    shipped_at=s.shipped_at,
                    quantity=qty(s.quantity, n.batch.unit),
                )
                for s in n.shipments
            ],
            stock=[
                TraceStock(
                    location_code=s.location_code, status=s.status, quantity=qty(s.quantity, n.batch.unit)
                )
                for s in n.stock
            ],
            outputs=[cls.of(o) for o in n.outputs],
        )


def _per_unit(totals: dict[str, Decimal]) -> list[Quantity]:
    return [qty(value, unit) for unit, value in sorted(totals.items())]


@strawberry.type
class RecallLot:
    sku_code: str
    lot_code: str
    quantity: Quantity


@strawberry.type
class RecallCustomer:
    customer: TraceParty
    shipped: list[Quantity] = strawberry.field(description="Totals per unit (products may differ in unit).")
    returned: list[Quantity] = strawberry.field(description="Totals per unit, of what was shipped.")
    lots: list[RecallLot]
    documents: list[str]


@strawberry.type
class RecallStock:
    location_code: str
    sku_code: str
    lot_code: str
    status: str
    quantity: Quantity


@strawberry.type(description="What a recall of a batch must reach: customers and stock, through products.")
class Recall:
    batch: TraceBatch
    affected_batches: list[TraceBatch]
    customers: list[RecallCustomer]
    stock: list[RecallStock]

    @classmethod
    def of(cls, r: genealogy.Recall) -> "Recall":
        return cls(
            batch=TraceBatch.of(r.batch),
            affected_batches=[TraceBatch.of(b) for b in r.affected_batches],
            customers=[
                RecallCustomer(
                    customer=TraceParty(code=c.customer.code, name=c.customer.name),
                    shipped=_per_unit(c.shipped),
                    returned=_per_unit(c.returned),
                    lots=[
                        RecallLot(sku_code=s, lot_code=lot, quantity=qty(q, unit))
                        for s, lot, q, unit in c.lots
                    ],
                    documents=c.documents,
                )
                for c in r.customers
            ],
            stock=[
                RecallStock(
                    location_code=s.location_code,
                    sku_code=s.sku_code,
                    lot_code=s.lot_code,
                    status=s.status,
                    quantity=qty(s.quantity, s.unit),
                )
                for s in r.stock
            ],
        )
