"""GRNI accruals (暂估应付) per purchase order line: what was received and returned, in quantity and amount.

Receipts add to an order line's accrual, returns take from it, bills clear it (``bills``). Amounts are
cents; quantities base units. Callers hold the purchase order's row lock.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from domain.common import bulk
from domain.common.dialect import is_postgres
from domain.finance.models import PurchaseAccrual
from domain.purchasing import rules as purchasing_rules
from domain.purchasing.models import PurchaseOrderLine


async def accrue(order_line_amounts: dict[int, tuple[Decimal, Decimal]]) -> None:
    """Adds (quantity, amount) to each order line's GRNI accrual; negative for returns.

    The callers hold the purchase order's row lock, so no other posting creates these accruals meanwhile:
    the missing ones are inserted with their figures, the others changed by delta."""
    if not order_line_amounts:
        return
    if is_postgres():
        # One upsert instead of the three statements below (issue 15: a receipt's hot path);
        # ``tests/integration/finance/test_accrual_upsert.py`` pins it to them.
        await bulk.insert_or_add(
            PurchaseAccrual,
            "order_line_id",
            ("received_quantity", "received_amount"),
            sorted(order_line_amounts.items()),
            {"billed_quantity": Decimal(0), "billed_amount": Decimal(0)},
        )
        return
    await accrue_orm(order_line_amounts)


async def accrue_orm(order_line_amounts: dict[int, tuple[Decimal, Decimal]]) -> None:
    """``accrue`` through the ORM: read which accruals exist, insert the missing, add to the others."""
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


async def grni_changes(
    quantities: Sequence[tuple[int, Decimal]],
    order_lines: Mapping[int, PurchaseOrderLine] | None = None,
) -> dict[int, tuple[int, tuple[Decimal, Decimal]]]:
    """Per order line: (SKU id, (quantity, amount)) that a document's lines (order line id, signed base
    quantity: + received, − returned) add to its GRNI accrual. The amount is the change of the order
    amount of the line's net received quantity (``purchasing.rules.value_change``); call after the order
    lines' ``received_base`` / ``returned_base`` include the document. ``order_lines``: the caller's own
    rows of them in that state (a receipt holds them), read when it lacks any."""
    per_line: dict[int, Decimal] = defaultdict(Decimal)
    for ol_id, qty in quantities:
        per_line[ol_id] += qty
    out: dict[int, tuple[int, tuple[Decimal, Decimal]]] = {}
    if order_lines is not None and set(per_line) <= set(order_lines):
        rows: Iterable[PurchaseOrderLine] = [order_lines[i] for i in sorted(per_line)]
    else:
        rows = await PurchaseOrderLine.filter(id__in=list(per_line))
    for ol in rows:
        change = per_line[ol.id]
        net_after = Decimal(ol.received_base) - Decimal(ol.returned_base)
        amount = purchasing_rules.value_change(
            net_after - change, change, Decimal(ol.unit_price), Decimal(ol.unit_factor)
        )
        out[ol.id] = (ol.sku_id, (change, amount))
    return out
