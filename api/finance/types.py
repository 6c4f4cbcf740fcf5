# mypy: disable-error-code="untyped-decorator"
"""Finance GraphQL types: money as decimal strings, rows of reports as plain objects."""

from collections.abc import Iterable
from datetime import date
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes
from api.approvals import types as approval_types
from api.context import Info
from api.customfields.types import values_of
from api.scalars import Money, money
from domain.finance import models
from domain.finance.journal import entry_number
from domain.partners.rules import Permission


@strawberry.type
class Account(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    type: str
    control: bool = strawberry.field(description="Mirrors a sub-ledger: automatic postings only.")
    active: bool

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Account, Permission.FINANCE_READ, cls.from_row)

    @classmethod
    def from_row(cls, a: models.Account) -> "Account":
        return cls(id=a.id, code=a.code, name=a.name, type=a.type, control=a.control, active=a.active)


@strawberry.type
class JournalLine:
    account_id: int
    debit: Money
    credit: Money
    partner_kind: str | None
    partner_id: int | None
    sku_id: int | None
    memo: str


@strawberry.type
class JournalEntry(relay.Node):
    id: relay.NodeID[int]
    number: str
    entry_date: date
    period: str
    doc_type: str
    doc_id: int
    memo: str
    source: str
    reversal_of_id: int | None

    @strawberry.field
    async def lines(self) -> list[JournalLine]:
        rows = await models.JournalLine.filter(entry_id=self.id).order_by("id")
        return [
            JournalLine(
                account_id=r.account_id,
                debit=money(r.debit),
                credit=money(r.credit),
                partner_kind=r.partner_kind,
                partner_id=r.partner_id,
                sku_id=r.sku_id,
                memo=r.memo,
            )
            for r in rows
        ]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info, node_ids, models.JournalEntry, Permission.FINANCE_READ, cls.from_row
        )

    @classmethod
    def from_row(cls, e: models.JournalEntry) -> "JournalEntry":
        return cls(
            id=e.id,
            number=entry_number(e.id),
            entry_date=e.entry_date,
            period=e.period,
            doc_type=e.doc_type,
            doc_id=e.doc_id,
            memo=e.memo,
            source=e.source,
            reversal_of_id=e.reversal_of_id,
        )


@strawberry.type(description="A part of a document's total and the day it falls due.")
class Instalment:
    due_date: date
    amount: Money


def instalments_of(schedule: list[dict[str, str]] | None) -> list[Instalment]:
    return [
        Instalment(due_date=date.fromisoformat(r["dueDate"]), amount=money(r["amount"]))
        for r in schedule or []
    ]


@strawberry.type
class SupplierBill(relay.Node):
    id: relay.NodeID[int]
    number: str
    kind: str
    status: str
    bill_date: date
    supplier_ref: str
    net: Money
    tax: Money
    total: Money
    paid: Money
    problems: list[str]
    due_date: date | None = strawberry.field(default=None, description="The last instalment's due date.")
    instalments: list[Instalment] = strawberry.field(default_factory=list)
    custom_fields: JSON = strawberry.field(default_factory=dict, description="Custom field values by key.")

    @strawberry.field(description="The latest approval request of this bill (审批状态); null: none needed.")
    async def approval(self, info: Info) -> approval_types.ApprovalRequest | None:
        return await approval_types.approval_of(info, "supplier_bill", self.id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info, node_ids, models.SupplierBill, Permission.FINANCE_READ, cls.from_row
        )

    @classmethod
    def from_row(cls, b: models.SupplierBill) -> "SupplierBill":
        return cls(
            id=b.id,
            number=b.number or "",
            kind=b.kind,
            status=b.status,
            bill_date=b.bill_date,
            supplier_ref=b.supplier_ref,
            net=money(b.net),
            tax=money(b.tax),
            total=money(b.total),
            paid=money(b.paid),
            problems=[p for p in b.problems.split("\n") if p],
            due_date=b.due_date,
            instalments=instalments_of(b.schedule),
            custom_fields=values_of(b),
        )


@strawberry.type
class CustomerInvoice(relay.Node):
    id: relay.NodeID[int]
    number: str
    kind: str
    invoice_date: date
    net: Money
    tax: Money
    total: Money
    paid: Money
    due_date: date | None = strawberry.field(default=None, description="The last instalment's due date.")
    instalments: list[Instalment] = strawberry.field(default_factory=list)
    custom_fields: JSON = strawberry.field(default_factory=dict, description="Custom field values by key.")

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info, node_ids, models.CustomerInvoice, Permission.FINANCE_READ, cls.from_row
        )

    @classmethod
    def from_row(cls, i: models.CustomerInvoice) -> "CustomerInvoice":
        return cls(
            id=i.id,
            number=i.number or "",
            kind=i.kind,
            invoice_date=i.invoice_date,
            net=money(i.net),
            tax=money(i.tax),
            total=money(i.total),
            paid=money(i.paid),
            due_date=i.due_date,
            instalments=instalments_of(i.schedule),
            custom_fields=values_of(i),
        )


@strawberry.type
class Payment(relay.Node):
    id: relay.NodeID[int]
    number: str
    direction: str
    method: str
    amount: Money
    paid_on: date
    reference: str

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Payment, Permission.FINANCE_READ, cls.from_row)

    @classmethod
    def from_row(cls, p: models.Payment) -> "Payment":
        return cls(
            id=p.id,
            number=p.number or "",
            direction=p.direction,
            method=p.method,
            amount=money(p.amount),
            paid_on=p.paid_on,
            reference=p.reference,
        )
