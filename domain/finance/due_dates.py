"""Payment terms on partners, and what the due dates of bills and invoices give: ageing and proposals.

Each posted bill and invoice stores its instalments (``terms.stamp`` at posting). Payments are applied to a
document's earliest instalments first, so what stays open is the latest part; ageing by due date and the
payment proposal both read those open instalments as they stood at the end of ``as_of`` (a business date).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from domain.common.errors import NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.finance import terms
from domain.finance.models import CustomerInvoice, PaymentAllocation, SupplierBill
from domain.partners.models import Customer, Supplier

ZERO = Decimal(0)


async def payment_terms_set(
    kind: str, code: str, spec: dict[str, Any] | None, key: str | None = None
) -> Posted:
    """Sets (``None``: clears) a supplier's or customer's terms; bills and invoices posted from now on are
    due by them. ``ValidationError`` at ``("terms", …)`` for terms that do not parse."""

    async def body() -> Posted:
        if kind not in ("supplier", "customer"):
            raise ValidationError("kind is supplier or customer", ("kind",))
        model: type[Supplier | Customer] = Supplier if kind == "supplier" else Customer
        partner = await model.get_or_none(code=code)
        if partner is None:
            raise NotFound(kind, code, ("code",))
        stored = None
        if spec is not None:
            parsed, problems = terms.parse(spec)
            if parsed is None:
                path, message = problems[0]
                raise ValidationError(message, ("terms", *path))
            stored = terms.to_json(parsed)
        partner.payment_terms = stored
        await partner.save(update_fields=["payment_terms"])
        return Posted(kind, partner.id, partner.code)

    return await posting("payment_terms_set", key, body)


@dataclass(frozen=True)
class OpenItem:
    partner_id: int
    document_id: int
    number: str
    document_date: date
    instalment: terms.Instalment


async def open_items(kind: str, as_of: date, partner_id: int | None = None) -> list[OpenItem]:
    """Every open instalment of posted bills (``supplier``) or invoices (``customer``) dated up to ``as_of``,
    net of the payments allocated to them up to ``as_of``."""
    if kind == "supplier":
        docs: QuerySet[Any] = SupplierBill.filter(status="posted", bill_date__lte=as_of)
        fields_ = ("id", "supplier_id", "number", "bill_date", "total", "schedule")
        link = "bill_id"
    elif kind == "customer":
        docs = CustomerInvoice.filter(invoice_date__lte=as_of)
        fields_ = ("id", "customer_id", "number", "invoice_date", "total", "schedule")
        link = "invoice_id"
    else:
        raise ValidationError("kind is supplier or customer", ("kind",))
    if partner_id is not None:
        docs = docs.filter(**{f"{kind}_id": partner_id})
    rows = await docs.order_by("id").values_list(*fields_)
    paid_rows = (
        await PaymentAllocation.filter(**{f"{link}__isnull": False, "payment__paid_on__lte": as_of})
        .annotate(s=Sum("amount"))
        .group_by(link)
        .values_list(link, "s")
    )
    paid = {doc_id: Decimal(str(s)) for doc_id, s in paid_rows}
    out = []
    for doc_id, pid, number, day, total, schedule in rows:
        parts = terms.from_json(schedule, day, Decimal(str(total)))
        for inst in terms.open_instalments(parts, paid.get(doc_id, ZERO)):
            out.append(OpenItem(pid, doc_id, number or "", day, inst))
    return out


async def _names(kind: str) -> dict[int, tuple[str, str]]:
    model = Supplier if kind == "supplier" else Customer
    return {p.id: (p.code, p.name) for p in await model.all()}


@dataclass(frozen=True)
class DueAgeingRow:
    partner_code: str
    partner_name: str
    buckets: dict[str, Decimal]  # terms.NOT_DUE and terms.OVERDUE_BUCKETS
    total: Decimal


async def ageing_by_due_date(kind: str, as_of: date) -> list[DueAgeingRow]:
    """Open payables or receivables by partner, aged by days past each instalment's due date."""
    per: dict[int, list[terms.Instalment]] = defaultdict(list)
    for item in await open_items(kind, as_of):
        per[item.partner_id].append(item.instalment)
    names = await _names(kind)
    out = []
    for pid, parts in per.items():
        buckets = terms.age_by_due(parts, as_of)
        code, name = names.get(pid, (str(pid), ""))
        out.append(DueAgeingRow(code, name, buckets, sum(buckets.values(), ZERO)))
    return sorted(out, key=lambda r: r.partner_code)


@dataclass(frozen=True)
class Proposal:
    partner_code: str
    partner_name: str
    document_id: int
    number: str
    document_date: date
    due_date: date
    amount: Decimal  # open amount of this instalment
    days_overdue: int  # 0 when due today or later


async def payment_proposals(
    kind: str, as_of: date, due_by: date, partner_code: str | None = None
) -> list[Proposal]:
    """Open instalments due on or before ``due_by`` (what to pay, or to collect, by then), most overdue first,
    then by partner and document. ``as_of`` is the day the books are read at (today, business zone)."""
    names = await _names(kind)
    partner_id = None
    if partner_code is not None:
        partner_id = next((pid for pid, (code, _) in names.items() if code == partner_code), None)
        if partner_id is None:
            raise NotFound(kind, partner_code, ("partnerCode",))
    found = [
        Proposal(
            *names.get(i.partner_id, (str(i.partner_id), "")),
            i.document_id,
            i.number,
            i.document_date,
            i.instalment.due_date,
            i.instalment.amount,
            max((as_of - i.instalment.due_date).days, 0),
        )
        for i in await open_items(kind, as_of, partner_id)
        if i.instalment.due_date <= due_by
    ]
    return sorted(found, key=lambda p: (p.due_date, p.partner_code, p.document_id))
