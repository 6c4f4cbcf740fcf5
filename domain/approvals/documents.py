"""The facts each gated document offers to rule conditions, and what "cancel" does to it on rejection.

Fact names are the rule language's vocabulary (documented here, shown to rule authors): every document has
``amount`` (decimal, the tier amount) and ``currency``; the rest is per type.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from domain.approvals import rules
from domain.common import business_time
from domain.finance import bills
from domain.finance import terms as finance_terms
from domain.inventory.models import Batch
from domain.partners.models import Supplier
from domain.purchasing.models import PurchaseOrder, PurchaseOrderLine
from domain.replenishment.price_rules import PriceTerms

CENT = Decimal("0.01")


async def purchase_order_facts(order: PurchaseOrder) -> dict[str, Any]:
    """``amount`` (Σ quantity × unit price, before tax), ``currency``, ``supplier_code``, ``warehouse_id``,
    ``line_count``, ``payment_terms_days`` (the order's own terms, else the supplier's when it has terms;
    null when neither: a "terms > 90" condition is then false), ``custom`` (custom field values if any)."""
    lines = await PurchaseOrderLine.filter(order_id=order.id)
    amount = sum((Decimal(ln.quantity) * Decimal(ln.unit_price) for ln in lines), Decimal(0))
    supplier = await Supplier.get(id=order.supplier_id)
    terms = order.payment_terms_days
    if terms is None and supplier.payment_terms:
        terms = credit_days(supplier.payment_terms, business_time.business_today(order.created_at))
    return {
        "amount": amount.quantize(CENT),
        "currency": order.currency,
        "supplier_code": supplier.code,
        "warehouse_id": order.warehouse_id,
        "line_count": len(lines),
        "payment_terms_days": terms,
        "custom": dict(order.custom or {}),
    }


def credit_days(spec: Any, document_date: date) -> int | None:
    """账期: days from ``document_date`` to the last instalment's due date under payment terms ``spec``
    (``domain.finance.terms`` JSON: net 120 → 120; end of month + 60 → to the end of the month, then 60);
    ``None`` for terms that do not parse (they are checked when saved, so only a hand-edited row)."""
    parsed, problems = finance_terms.parse(spec)
    if parsed is None or problems:
        return None
    last = finance_terms.schedule(parsed, document_date, Decimal(1))[-1].due_date
    return (last - document_date).days


def price_change_facts(
    supplier_code: str, sku_code: str, terms: PriceTerms, previous_unit_price: Decimal | None
) -> dict[str, Any]:
    """A price-list line added or changed: ``amount`` (the new unit price), ``currency``,
    ``supplier_code``, ``sku_code``, ``valid_from``/``valid_to`` (ISO dates), ``min_quantity``,
    ``previous_unit_price`` (null for a new line) and ``change_ratio`` (new / previous price, 4 places; null
    for a new line), so a rule can hold e.g. a rise of more than 10 %
    (``{">": [{"var": "change_ratio"}, "1.1"]}``)."""
    ratio = None
    if previous_unit_price:
        ratio = (terms.unit_price / previous_unit_price).quantize(Decimal("0.0001"))
    return {
        "amount": terms.unit_price,
        "currency": terms.currency,
        "supplier_code": supplier_code,
        "sku_code": sku_code,
        "valid_from": terms.valid_from.isoformat(),
        "valid_to": terms.valid_to.isoformat() if terms.valid_to else None,
        "min_quantity": terms.min_quantity,
        "previous_unit_price": previous_unit_price,
        "change_ratio": ratio,
    }


def payment_facts(
    direction: str,
    partner_code: str,
    amount: Decimal,
    paid_on: str,
    method: str,
    allocations: list[tuple[int, Decimal]],
) -> dict[str, Any]:
    """``amount``, ``currency`` (CNY), ``direction`` (out/in), ``partner_code``, ``paid_on`` (ISO date),
    ``method`` and ``allocations`` ([[document id, amount]…]): a payment approved is this exact payment."""
    return {
        "amount": amount,
        "currency": "CNY",
        "direction": direction,
        "partner_code": partner_code,
        "paid_on": paid_on,
        "method": method,
        "allocations": [[doc, amt] for doc, amt in allocations],
    }


async def write_off_facts(batch: Batch, quantity: Decimal, reason: str) -> dict[str, Any]:
    """``quantity`` (base units), ``batch_id``, ``lot_code``, ``status``, ``reason``; ``amount`` is the
    quantity (write-offs carry no price here, so tiers count units)."""
    return {
        "amount": quantity,
        "quantity": quantity,
        "batch_id": batch.id,
        "lot_code": batch.lot_code,
        "status": batch.status,
        "reason": reason,
    }


async def cancel(document_type: rules.DocumentType, document_id: int) -> None:
    """Applies ``on_reject = cancel`` inside the rejection's transaction: a draft order is cancelled, a bill
    waiting for approval is rejected (its quantities open for billing again). Other documents are created
    only once approved, so rejecting the request is all there is to do."""
    if document_type is rules.DocumentType.PURCHASE_ORDER:
        await PurchaseOrder.filter(id=document_id, status="draft").update(status="cancelled")
    elif document_type is rules.DocumentType.SUPPLIER_BILL:
        await bills.supplier_bill_reject(document_id)
