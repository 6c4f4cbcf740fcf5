"""Recall GraphQL types: the recall document with its lots, customers (and their notice) and disposals."""

import base64
from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.scalars import JSON

from api import relay as rl
from api.scalars import Quantity, qty
from domain.recall import services


def _per_unit(totals: dict[str, Decimal]) -> list[Quantity]:
    return [qty(value, unit) for unit, value in sorted(totals.items())]


@strawberry.type(description="A lot a recall reaches, with its status before the recall and now.")
class RecallDocumentLot:
    batch_id: strawberry.ID
    sku_code: str
    lot_code: str
    previous_status: str
    status: str


@strawberry.type
class RecallNoticeLot:
    sku_code: str
    lot_code: str
    shipped: Quantity


@strawberry.type(description="A customer that received recalled lots: what it got, sent back, still holds.")
class RecallNoticeCustomer:
    code: str
    name: str
    lots: list[RecallNoticeLot]
    shipped: list[Quantity] = strawberry.field(description="Totals per unit.")
    returned: list[Quantity] = strawberry.field(description="Posted customer returns, totals per unit.")
    outstanding: list[Quantity] = strawberry.field(description="Shipped less returned, per unit.")


@strawberry.type(description="Recalled stock written off under the recall.")
class RecallDisposal:
    batch_id: strawberry.ID
    destruction_number: str
    quantity: Decimal


@strawberry.type(description="A recall of a batch and every lot made from it (召回单).")
class RecallDocument:
    id: strawberry.ID
    number: str
    batch_id: strawberry.ID
    status: str = strawberry.field(description="open | closed")
    reason: str
    notice_zh: str
    notice_en: str
    opened_at: datetime
    closed_at: datetime | None
    lots: list[RecallDocumentLot]
    customers: list[RecallNoticeCustomer]
    disposals: list[RecallDisposal]
    summary: JSON | None = strawberry.field(description="Totals per unit at close (decimals as strings).")
    notice_csv_base64: str = strawberry.field(
        description="The customer notice export: UTF-8 CSV (with BOM), one row per customer and lot, base64."
    )

    @classmethod
    def of(cls, n: services.RecallNotice) -> "RecallDocument":
        return cls(
            id=strawberry.ID(rl.encode_id("RecallDocument", n.id)),
            number=n.number,
            batch_id=strawberry.ID(rl.encode_id("Batch", n.batch_id)),
            status=n.status,
            reason=n.reason,
            notice_zh=n.notice_zh,
            notice_en=n.notice_en,
            opened_at=n.opened_at,
            closed_at=n.closed_at,
            lots=[
                RecallDocumentLot(
                    batch_id=strawberry.ID(rl.encode_id("Batch", lot.batch_id)),
                    sku_code=lot.sku_code,
                    lot_code=lot.lot_code,
                    previous_status=lot.previous_status,
                    status=lot.status,
                )
                for lot in n.lots
            ],
            customers=[
                RecallNoticeCustomer(
                    code=c.code,
                    name=c.name,
                    lots=[
                        RecallNoticeLot(sku_code=s, lot_code=lot, shipped=qty(q, u))
                        for s, lot, q, u in c.lots
                    ],
                    shipped=_per_unit(c.shipped),
                    returned=_per_unit(c.returned),
                    outstanding=_per_unit(c.outstanding),
                )
                for c in n.customers
            ],
            disposals=[
                RecallDisposal(
                    batch_id=strawberry.ID(rl.encode_id("Batch", b)), destruction_number=number, quantity=q
                )
                for b, number, q in n.destroyed
            ],
            summary=JSON(n.summary) if n.summary is not None else None,
            notice_csv_base64=base64.b64encode(n.csv()).decode("ascii"),
        )
