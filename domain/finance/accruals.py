"""GRNI accruals (暂估应付) per purchase order line: what was received and returned, in quantity and amount.

Receipts add to an order line's accrual, returns take from it, bills clear it (``bills``). Amounts are
cents; quantities base units. Callers hold the purchase order's row lock.
"""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from domain.common import bulk
from domain.finance import rules
from domain.finance.models import PurchaseAccrual


async def accrue(order_line_amounts: dict[int, tuple[Decimal, Decimal]]) -> None:
    """Adds (quantity, amount) to each order line's GRNI accrual; negative for returns.

    The callers hold the purchase order's row lock, so no other posting creates these accruals meanwhile:
    the missing ones are inserted with their figures, the others changed by delta."""
    if not order_line_amounts:
        return
    have: set[int] = {
        r[0]
        for r in await PurchaseAccrual.filter(order_line_id__in=list(order_line_amounts)).values_list(
            "order_line_id"
        )
    }
    new = [
        PurchaseAccrual(order_line_id=ol_id, received_quantity=qty, received_amount=amount)
        for ol_id, (qty, amount) in sorted(order_line_amounts.items())
        if ol_id not in have
    ]
    if new:
        await PurchaseAccrual.bulk_create(new)
    await bulk.update_rows(
        PurchaseAccrual,
        "order_line_id",
        ("received_quantity", "received_amount"),
        [(ol_id, qa) for ol_id, qa in sorted(order_line_amounts.items()) if ol_id in have],
        add=True,
    )


def split(
    booked: dict[int, Decimal], lines: Sequence[tuple[int, int, Decimal, Decimal]]
) -> dict[int, tuple[Decimal, Decimal]]:
    """Splits each SKU's booked amount over its document lines (order line, sku, quantity, unit cost)."""
    per_sku: dict[int, list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    for ol_id, sku_id, qty, cost in lines:
        per_sku[sku_id].append((ol_id, qty, qty * cost))
    out: dict[int, tuple[Decimal, Decimal]] = {}
    for sku_id, items in per_sku.items():
        amounts = rules.allocate(booked.get(sku_id, rules.ZERO), [w for _, _, w in items])
        for (ol_id, qty, _), amount in zip(items, amounts, strict=True):
            q, a = out.get(ol_id, (rules.ZERO, rules.ZERO))
            out[ol_id] = (q + qty, a + amount)
    return out
