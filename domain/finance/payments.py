"""Payments to suppliers and receipts from customers, allocated to one or many bills or invoices.

Partial payments leave the rest open; a credit note takes a negative allocation, so a payment of 100 may
settle an invoice of 113 and a credit note of −13. Allocating more than a document's open amount is refused.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from domain.approvals import gate as approval_gate
from domain.approvals.documents import payment_facts
from domain.approvals.rules import DocumentType
from domain.common import bulk
from domain.common.dialect import is_postgres
from domain.common.errors import NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.finance import rules
from domain.finance.journal import role_map, write_entry
from domain.finance.models import CustomerInvoice, Payment, PaymentAllocation, SupplierBill
from domain.partners.models import Customer, Supplier

Role = rules.Role
OUT = "out"  # we pay a supplier
IN = "in"  # a customer pays us


@dataclass(frozen=True)
class AllocationInput:
    document_id: int  # a supplier bill (direction out) or a customer invoice (direction in)
    amount: Decimal


async def payment_post(
    direction: str,
    partner_code: str,
    amount: Decimal,
    paid_on: date,
    allocations: list[AllocationInput],
    method: str = "bank",
    reference: str = "",
    key: str | None = None,
    requested_by_id: int | None = None,
    now: datetime | None = None,
) -> Posted:
    """Out: payables Dr / bank (or cash) Cr. In: bank (or cash) Dr / receivables Cr. One payables or
    receivables line per allocated document, so the partner ledger shows what settled what. A payment that
    approval rules for payments match waits for approval (``ApprovalRequired``) and is posted by the same
    call, repeated once approved."""
    at = now or datetime.now(UTC)  # recording time of the approval request, not a business date

    async def body() -> Posted:
        if direction not in (OUT, IN):
            raise ValidationError("direction is out (to a supplier) or in (from a customer)", ("direction",))
        if method not in ("bank", "cash"):
            raise ValidationError("method is bank or cash", ("method",))
        if len(allocations) > 500:
            raise ValidationError("at most 500 allocations", ("allocations",))
        partner_model = Supplier if direction == OUT else Customer
        partner = await partner_model.get_or_none(code=partner_code)
        if partner is None:
            raise NotFound("supplier" if direction == OUT else "customer", partner_code, ("partnerCode",))
        kind = "supplier" if direction == OUT else "customer"
        doc_model = SupplierBill if direction == OUT else CustomerInvoice
        ids = sorted({a.document_id for a in allocations})
        query = doc_model.filter(id__in=ids).order_by("id")
        if is_postgres():
            query = query.select_for_update()
        docs = {d.id: d for d in await query}
        left: dict[int, Decimal] = {}
        pairs: list[tuple[Decimal, Decimal]] = []
        for i, a in enumerate(allocations):
            doc = docs.get(a.document_id)
            owner = doc.supplier_id if isinstance(doc, SupplierBill) else doc.customer_id if doc else None
            if doc is None or owner != partner.id:
                raise NotFound("document", a.document_id, ("allocations", str(i), "documentId"))
            if isinstance(doc, SupplierBill) and doc.status != "posted":
                raise ValidationError(
                    f"bill {doc.number} is {doc.status}", ("allocations", str(i), "documentId")
                )
            open_amount = left.get(doc.id, Decimal(doc.total) - Decimal(doc.paid))
            pairs.append((open_amount, a.amount))
            left[doc.id] = open_amount - a.amount if a.amount.is_finite() else open_amount
        rules.check_allocations(amount, pairs)

        async def facts() -> dict[str, object]:
            return payment_facts(
                direction,
                partner_code,
                amount,
                paid_on.isoformat(),
                method,
                [(a.document_id, a.amount) for a in allocations],
            )

        await approval_gate.gate(DocumentType.PAYMENT, None, facts, at)
        payment = await Payment.create(
            direction=direction,
            partner_kind=kind,
            partner_id=partner.id,
            method=method,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
        )
        payment.number = document_number("PY" if direction == OUT else "RV", payment.id)
        fk = "bill_id" if direction == OUT else "invoice_id"
        await PaymentAllocation.bulk_create(
            [
                PaymentAllocation(payment_id=payment.id, amount=a.amount, **{fk: a.document_id})
                for a in allocations
            ]
        )
        for a in allocations:
            await bulk.add_to(doc_model, {"id": a.document_id}, {"paid": a.amount})
        roles = await role_map()
        sign = 1 if direction == OUT else -1
        control = roles.account(Role.PAYABLES if direction == OUT else Role.RECEIVABLES).id
        drafts = [
            rules.signed(control, sign * a.amount, kind, partner.id, memo=docs[a.document_id].number or "")
            for a in allocations
        ]
        money_account = roles.account(Role.BANK if method == "bank" else Role.CASH).id
        drafts.append(rules.signed(money_account, -sign * amount, memo=reference))
        entry = await write_entry(
            "payment", payment.id, paid_on, drafts, path=("paidOn",), memo=f"payment {payment.number}"
        )
        payment.entry_id = entry.id if entry else None
        await payment.save(update_fields=["number", "entry_id"])
        return Posted("payment", payment.id, payment.number)

    return await approval_gate.guarded(lambda: posting("payment_post", key, body), requested_by_id, at)
