"""Supplier bills and credit notes with three-way matching (order price, received quantity, billed line).

A bill line names a purchase order line and bills a quantity (base units) at a price (per base unit, before
tax). It clears the GRNI accrual of what was received and not yet billed; the difference is a price variance.
Beyond tolerance the bill waits for approval: it holds its quantities (no double billing) but books nothing
until approved.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from domain.approvals import gate as approval_gate
from domain.approvals.rules import DocumentType
from domain.catalog.models import Sku
from domain.common import bulk
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.finance import rules, terms
from domain.finance.journal import role_map, write_entry
from domain.finance.models import PurchaseAccrual, SupplierBill, SupplierBillLine
from domain.partners.models import Supplier
from domain.purchasing.models import PurchaseOrderLine

Role = rules.Role
PENDING = "pending_approval"
POSTED = "posted"
REJECTED = "rejected"


@dataclass(frozen=True)
class BillLineInput:
    order_line_id: int
    quantity: Decimal  # base units; negative on a credit note
    unit_price: Decimal  # per base unit, before tax


async def _locked_accruals(order_line_ids: set[int]) -> dict[int, PurchaseAccrual]:
    query = PurchaseAccrual.filter(order_line_id__in=sorted(order_line_ids)).order_by("order_line_id")
    if is_postgres():
        query = query.select_for_update()
    return {a.order_line_id: a for a in await query}


async def supplier_bill_post(
    supplier_code: str,
    bill_date: date,
    lines: list[BillLineInput],
    supplier_ref: str = "",
    stated_tax: Decimal | None = None,
    key: str | None = None,
    qty_tolerance: Decimal = rules.DEFAULT_QTY_TOLERANCE,
    price_tolerance: Decimal = rules.DEFAULT_PRICE_TOLERANCE,
    custom: dict[str, Any] | None = None,
) -> Posted:
    """Posts a bill (positive lines) or a credit note (negative lines): GRNI + variance + input VAT Dr /
    payables Cr, or waits for approval when a difference is beyond tolerance. ``custom`` values are checked
    against the supplier bill's custom fields (``ValidationError`` at ``("customFields", key)``)."""

    async def body() -> Posted:
        supplier = await Supplier.get_or_none(code=supplier_code)
        if supplier is None:
            raise NotFound("supplier", supplier_code, ("supplierCode",))
        if not lines or len(lines) > 500:
            raise ValidationError("a bill has 1 to 500 lines", ("lines",))
        if len({ln.quantity > 0 for ln in lines}) > 1:
            raise ValidationError("a bill's lines are all positive, a credit note's all negative", ("lines",))
        credit = lines[0].quantity < 0
        values = await custom_fields.checked(Entity.SUPPLIER_BILL, custom)
        order_lines = {
            ol.id: ol
            for ol in await PurchaseOrderLine.filter(
                id__in={ln.order_line_id for ln in lines}
            ).prefetch_related("order")
        }
        for i, ln in enumerate(lines):
            ol = order_lines.get(ln.order_line_id)
            if ol is None or ol.order.supplier_id != supplier.id:
                raise NotFound("purchase order line", ln.order_line_id, ("lines", str(i), "orderLineId"))
        skus = {s.id: s for s in await Sku.filter(id__in={ol.sku_id for ol in order_lines.values()})}
        accruals = await _locked_accruals(set(order_lines))
        open_: dict[int, tuple[Decimal, Decimal]] = {
            a.order_line_id: (
                Decimal(a.received_quantity) - Decimal(a.billed_quantity),
                Decimal(a.received_amount) - Decimal(a.billed_amount),
            )
            for a in accruals.values()
        }
        bill = await SupplierBill.create(
            supplier=supplier,
            kind="credit_note" if credit else "bill",
            status=PENDING,
            supplier_ref=supplier_ref,
            bill_date=bill_date,
            net=0,
            tax=0,
            total=0,
            custom=values,
        )
        bill.number = document_number("BL" if not credit else "BC", bill.id)
        made: list[SupplierBillLine] = []
        problems: list[str] = []
        for i, ln in enumerate(lines):
            path = ("lines", str(i))
            ol = order_lines[ln.order_line_id]
            sku = skus[ol.sku_id]
            oq, oa = open_.get(ol.id, (rules.ZERO, rules.ZERO))
            order_price = Decimal(ol.unit_price) / Decimal(ol.unit_factor)
            m = rules.match_bill_line(
                oq, oa, ln.quantity, ln.unit_price, order_price, path, qty_tolerance, price_tolerance
            )
            open_[ol.id] = (oq - m.matched_quantity, oa - m.cleared)
            problems += [f"line {i}: {p}" for p in m.problems]
            tax = rules.tax_of(m.net, Decimal(sku.tax_rate), sku.tax_exempt)
            made.append(
                SupplierBillLine(
                    bill_id=bill.id,
                    order_line_id=ol.id,
                    sku_id=sku.id,
                    quantity=ln.quantity,
                    unit_price=ln.unit_price,
                    matched_quantity=m.matched_quantity,
                    net=m.net,
                    tax_rate=sku.tax_rate,
                    tax=tax,
                    cleared=m.cleared,
                    variance=m.variance,
                )
            )
        await SupplierBillLine.bulk_create(made)
        for ol_id, (oq, oa) in open_.items():
            a = accruals[ol_id]
            billed_q = Decimal(a.received_quantity) - oq - Decimal(a.billed_quantity)
            billed_a = Decimal(a.received_amount) - oa - Decimal(a.billed_amount)
            if billed_q or billed_a:
                await bulk.add_to(
                    PurchaseAccrual,
                    {"id": a.id},
                    {"billed_quantity": billed_q, "billed_amount": billed_a},
                )
        bill.net = sum((b.net for b in made), rules.ZERO)
        computed = sum((b.tax for b in made), rules.ZERO)
        bill.tax = rules.stated_tax(computed, stated_tax, len(made), ("statedTax",))
        bill.total = bill.net + bill.tax
        bill.problems = "\n".join(problems)
        bill.due_date, bill.schedule = terms.stamp(supplier.payment_terms, bill_date, bill.total)
        if not problems:
            await _book(bill, made)
            bill.status = POSTED
        await bill.save()
        return Posted("supplier_bill", bill.id, bill.number or "")

    return await posting("supplier_bill_post", key, body)


async def _book(bill: SupplierBill, lines: list[SupplierBillLine]) -> None:
    roles = await role_map()
    cats = {s.id: s.category_id for s in await Sku.filter(id__in={ln.sku_id for ln in lines})}
    partner = ("supplier", bill.supplier_id)
    drafts: list[rules.Line] = []
    for ln in lines:
        cat = cats.get(ln.sku_id)
        drafts.append(
            rules.signed(roles.account(Role.GRNI, cat).id, Decimal(ln.cleared), *partner, ln.sku_id)
        )
        drafts.append(
            rules.signed(roles.account(Role.PRICE_VARIANCE, cat).id, Decimal(ln.variance), sku_id=ln.sku_id)
        )
    drafts.append(rules.signed(roles.account(Role.INPUT_VAT).id, Decimal(bill.tax)))
    drafts.append(
        rules.signed(roles.account(Role.PAYABLES).id, -Decimal(bill.total), *partner, memo=bill.number or "")
    )
    entry = await write_entry(
        "supplier_bill", bill.id, bill.bill_date, drafts, path=("billDate",), memo=f"bill {bill.number}"
    )
    bill.entry_id = entry.id if entry else None


async def _locked_bill(bill_id: int) -> SupplierBill:
    query = SupplierBill.filter(id=bill_id)
    if is_postgres():
        query = query.select_for_update()
    bill = await query.first()
    if bill is None:
        raise NotFound("supplier bill", bill_id, ("billId",))
    if bill.status != PENDING:
        raise Conflict(f"bill {bill.number} is {bill.status}, not waiting for approval", ("billId",))
    return bill


async def supplier_bill_approve(
    bill_id: int, key: str | None = None, requested_by_id: int | None = None, now: datetime | None = None
) -> Posted:
    """Accepts the differences of a bill beyond tolerance and books it (dated its bill date), once the
    approval rules for supplier bills that it matches are approved (``ApprovalRequired`` otherwise)."""
    at = now or datetime.now(UTC)  # recording time of the approval request, not a business date

    async def body() -> Posted:
        bill = await _locked_bill(bill_id)
        await approval_gate.gate(DocumentType.SUPPLIER_BILL, bill.id, lambda: supplier_bill_facts(bill), at)
        await _book(bill, await SupplierBillLine.filter(bill_id=bill.id).order_by("id"))
        bill.status = POSTED
        await bill.save(update_fields=["status", "entry_id"])
        return Posted("supplier_bill", bill.id, bill.number or "")

    return await approval_gate.guarded(
        lambda: posting("supplier_bill_approve", key, body), requested_by_id, at
    )


async def supplier_bill_reject(bill_id: int, key: str | None = None) -> Posted:
    """Refuses a bill waiting for approval: its quantities are open for billing again; nothing was booked."""

    async def body() -> Posted:
        bill = await _locked_bill(bill_id)
        lines = await SupplierBillLine.filter(bill_id=bill.id)
        await _locked_accruals({ln.order_line_id for ln in lines})
        for ln in lines:
            await bulk.add_to(
                PurchaseAccrual,
                {"order_line_id": ln.order_line_id},
                {"billed_quantity": -Decimal(ln.matched_quantity), "billed_amount": -Decimal(ln.cleared)},
            )
        bill.status = REJECTED
        await bill.save(update_fields=["status"])
        return Posted("supplier_bill", bill.id, bill.number or "")

    return await posting("supplier_bill_reject", key, body)


async def supplier_bill_facts(bill: SupplierBill) -> dict[str, object]:
    """The facts approval rules read on a bill: ``amount`` (its total), ``currency`` (CNY), ``supplier_code``,
    ``kind`` (bill or credit_note) and ``problems`` (the matching differences, as text)."""
    supplier = await Supplier.get(id=bill.supplier_id)
    return {
        "amount": Decimal(bill.total),
        "currency": "CNY",
        "supplier_code": supplier.code,
        "kind": bill.kind,
        "problems": bill.problems,
    }
