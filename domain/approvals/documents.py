"""The facts each gated document offers to rule conditions, and what "cancel" does to it on rejection.

Fact names are the rule language's vocabulary (documented here, shown to rule authors): every document has
``amount`` (decimal, the tier amount) and ``currency``; the rest is per type.
"""

from decimal import Decimal
from typing import Any

from domain.approvals import rules
from domain.finance import bills
from domain.inventory.models import Batch
from domain.partners.models import Supplier
from domain.purchasing.models import PurchaseOrder, PurchaseOrderLine

CENT = Decimal("0.01")


async def purchase_order_facts(order: PurchaseOrder) -> dict[str, Any]:
    """``amount`` (Σ quantity × unit price, before tax), ``currency``, ``supplier_code``, ``warehouse_id``,
    ``line_count``, ``payment_terms_days`` (the order's own terms, else the supplier's when it has terms;
    null when neither: a "terms > 90" condition is then false), ``custom`` (custom field values if any)."""
    lines = await PurchaseOrderLine.filter(order_id=order.id)
    amount = sum((Decimal(ln.quantity) * Decimal(ln.unit_price) for ln in lines), Decimal(0))
    supplier = await Supplier.get(id=order.supplier_id)
    terms = order.payment_terms_days
    if terms is None:
        # Supplier payment terms arrive with issue 17's terms work; read them when the column exists.
        terms = getattr(supplier, "payment_terms_days", None)
    return {
        "amount": amount.quantize(CENT),
        "currency": order.currency,
        "supplier_code": supplier.code,
        "warehouse_id": order.warehouse_id,
        "line_count": len(lines),
        "payment_terms_days": terms,
        "custom": dict(getattr(order, "custom_fields", None) or {}),
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
