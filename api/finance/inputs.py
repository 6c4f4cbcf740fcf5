"""Finance inputs: documents by global ID, accounts and partners by code."""

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.scalars import JSON

from api import relay as rl
from domain.finance import bills, payments, services


@strawberry.input
class BillLineInput:
    purchase_order_line_id: strawberry.ID
    quantity: Decimal = strawberry.field(description="Base units; negative on a credit note.")
    unit_price: Decimal = strawberry.field(description="Per base unit, before tax.")


@strawberry.input
class SupplierBillPostInput:
    supplier_code: str
    bill_date: date
    lines: list[BillLineInput]
    supplier_ref: str = ""
    stated_tax: Decimal | None = strawberry.field(default=None, description="The fapiao's own tax total.")
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Custom field values by key (customFieldDefinitions of this record type)."
    )
    idempotency_key: str | None = None

    def domain_lines(self) -> list[bills.BillLineInput]:
        rl.cap_lines(self.lines)
        return [
            bills.BillLineInput(
                rl.decode_id(
                    ln.purchase_order_line_id, "PurchaseOrderLine", ("lines", str(i), "purchaseOrderLineId")
                ),
                ln.quantity,
                ln.unit_price,
            )
            for i, ln in enumerate(self.lines)
        ]


@strawberry.input
class SupplierBillActionInput:
    supplier_bill_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input
class CustomerInvoicePostInput:
    shipment_ids: list[strawberry.ID]
    invoice_date: date
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Custom field values by key (customFieldDefinitions of this record type)."
    )
    idempotency_key: str | None = None


@strawberry.input
class CustomerCreditNotePostInput:
    customer_return_id: strawberry.ID
    credit_date: date
    idempotency_key: str | None = None


@strawberry.input
class AllocationInput:
    document_id: strawberry.ID = strawberry.field(description="A SupplierBill or a CustomerInvoice.")
    amount: Decimal


@strawberry.input
class PaymentPostInput:
    direction: str = strawberry.field(description="out: to a supplier; in: from a customer.")
    partner_code: str
    amount: Decimal
    paid_on: date
    allocations: list[AllocationInput]
    method: str = "bank"
    reference: str = ""
    idempotency_key: str | None = None

    def domain_allocations(self) -> list[payments.AllocationInput]:
        rl.cap_lines(self.allocations, ("allocations",))
        kind = "SupplierBill" if self.direction == "out" else "CustomerInvoice"
        return [
            payments.AllocationInput(
                rl.decode_id(a.document_id, kind, ("allocations", str(i), "documentId")), a.amount
            )
            for i, a in enumerate(self.allocations)
        ]


@strawberry.input
class ManualLineInput:
    account_code: str
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    memo: str = ""


@strawberry.input
class JournalEntryPostInput:
    entry_date: date
    lines: list[ManualLineInput]
    memo: str = ""
    idempotency_key: str | None = None

    def domain_lines(self) -> list[services.ManualLineInput]:
        rl.cap_lines(self.lines)
        return [services.ManualLineInput(ln.account_code, ln.debit, ln.credit, ln.memo) for ln in self.lines]


@strawberry.input
class JournalEntryReverseInput:
    journal_entry_id: strawberry.ID
    on: date
    memo: str = ""
    idempotency_key: str | None = None


@strawberry.input
class PeriodCloseInput:
    period: str = strawberry.field(description="YYYY-MM")
    closed: bool = True


@strawberry.input
class AccountCreateInput:
    code: str
    name: str
    type: str = strawberry.field(description="asset, liability, equity, cost, revenue or expense")


@strawberry.input
class PostingRuleSetInput:
    role: str
    account_code: str
    category_code: str | None = None
