"""Journal entries of stock postings: run inside the posting's own transaction.

The ``book_*`` functions are called by purchasing, sales, inventory and trace services after their moves and
document lines are written. Each books the change of inventory value per SKU (cents, see ``rules``) against
the counter-account of the document (GRNI, cost of goods sold, 待处理财产损溢) and, for purchases, keeps the
order lines' GRNI accruals (``accruals``). They raise to refuse the posting (closed period), and whatever
they wrote rolls back with it.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.finance import rules
from domain.finance.accruals import accrue, grni_changes
from domain.finance.journal import RuleAccounts, rules_and_period, write_entry
from domain.inventory import rules as stock_rules
from domain.inventory.models import Location, SkuValuation, StockMove
from domain.purchasing.models import GoodsReceipt, PurchaseOrderLine, SupplierReturn, SupplierReturnLine
from domain.purchasing.models import GoodsReceiptLine as ReceiptLine
from domain.sales.models import CustomerReturn, SalesOrder, Shipment

Role = rules.Role


async def _moves(doc_type: str, doc_id: int, moves: Sequence[StockMove] | None) -> list[StockMove]:
    if moves is not None:
        return list(moves)
    return await StockMove.filter(doc_type=doc_type, doc_id=doc_id).order_by("id")


@dataclass(frozen=True)
class Held:
    """What a posting already holds when it books, so its entry reads none of it back (issue 15: one
    statement each, a fifth of a posting's statements).

    ``locations``: every location its moves name; ``valuations``: its SKUs' valuation rows as the moves
    left them (``ledger.apply_moves`` updates the rows it is given in place, and they are what it wrote);
    ``skus``: its SKUs (for their categories); ``order_lines``: for a receipt, its purchase order's lines
    with ``received_base`` / ``returned_base`` including the document (what ``grni_changes`` reads).
    Anything missing from them is read, as without them: the results are the same
    (``tests/integration/finance/test_held_postings.py`` pins it)."""

    locations: Iterable[Location]
    valuations: Mapping[int, SkuValuation]
    skus: Mapping[int, Sku]
    order_lines: Mapping[int, PurchaseOrderLine] | None = None


async def booked_by_sku(moves: Sequence[StockMove], held: Held | None = None) -> dict[int, Decimal]:
    """Per SKU, the cent amount the posting moves into (+) or out of (−) inventory (see ``rules``)."""
    loc_ids = {m.from_location_id for m in moves} | {m.to_location_id for m in moves}
    known = {loc.id: loc for loc in held.locations} if held else {}
    if not loc_ids <= set(known):
        known = {loc.id: loc for loc in await Location.filter(id__in=loc_ids)}
    owned = {i for i, loc in known.items() if i in loc_ids and loc.kind in stock_rules.OWNED_KINDS}
    change: dict[int, Decimal] = defaultdict(Decimal)
    for m in moves:
        into, out = m.to_location_id in owned, m.from_location_id in owned
        if into and not out:
            change[m.sku_id] += Decimal(m.value)
        elif out and not into:
            change[m.sku_id] -= Decimal(m.value)
    if held and set(change) <= set(held.valuations):
        # The column has four places, as ``quantize_cost``: the same figure the row now holds.
        after = {s: stock_rules.quantize_cost(Decimal(held.valuations[s].value)) for s in change}
    else:
        after = {v.sku_id: Decimal(v.value) for v in await SkuValuation.filter(sku_id__in=list(change))}
    return {sku: rules.booked_change(after[sku], c) for sku, c in change.items()}


async def _categories(sku_ids: Sequence[int], held: Held | None = None) -> dict[int, int | None]:
    if held and set(sku_ids) <= set(held.skus):
        return {i: held.skus[i].category_id for i in sku_ids}
    return {s.id: s.category_id for s in await Sku.filter(id__in=list(sku_ids))}


def _inventory_lines(
    roles: RuleAccounts,
    booked: dict[int, Decimal],
    categories: dict[int, int | None],
    counter: Role,
    partner: tuple[str, int] | None = None,
) -> list[rules.Line]:
    kind, pid = partner if partner else (None, None)
    lines: list[rules.Line] = []
    for sku_id, amount in sorted(booked.items()):
        cat = categories.get(sku_id)
        lines.append(rules.signed(roles.account_id(Role.INVENTORY, cat), amount, sku_id=sku_id))
        lines.append(rules.signed(roles.account_id(counter, cat), -amount, kind, pid, sku_id))
    return lines


async def _book_stock(
    doc_type: str,
    doc_id: int,
    moves: Sequence[StockMove] | None,
    posted_at: datetime | None,
    counter: Role,
    field: str,
    partner: tuple[str, int] | None = None,
    held: Held | None = None,
) -> tuple[dict[int, Decimal], list[StockMove]]:
    found = await _moves(doc_type, doc_id, moves)
    if not found:
        return {}, found
    booked = await booked_by_sku(found, held)
    day = rules.book_date(posted_at or found[0].posted_at)
    roles, closed = await rules_and_period(day)
    lines = _inventory_lines(roles, booked, await _categories(list(booked), held), counter, partner)
    await write_entry(doc_type, doc_id, day, lines, path=(field,), memo=f"{doc_type} {doc_id}", closed=closed)
    return booked, found


async def _book_purchase(
    doc_type: str,
    doc_id: int,
    moves: Sequence[StockMove] | None,
    posted_at: datetime | None,
    field: str,
    supplier_id: int,
    quantities: Sequence[tuple[int, Decimal]],
    held: Held | None = None,
) -> None:
    """Inventory against GRNI for a receipt or a return to supplier, and the order lines' accruals.

    GRNI moves by the order amount of what the document received (+) or returned (−) on each order line
    (``accruals.grni_changes``): a return clears exactly what its receipt booked. Inventory moves by the
    stock ledger's value (a return leaves at the moving average); the difference, per SKU, is a price
    variance. So GRNI of an order line is always the order amount of what is left received on it, and a
    closed, fully billed order leaves none."""
    found = await _moves(doc_type, doc_id, moves)
    if not found:
        return
    booked = await booked_by_sku(found, held)
    changes = await grni_changes(quantities, held.order_lines if held else None)
    grni: dict[int, Decimal] = defaultdict(Decimal)
    for sku_id, (_, amount) in changes.values():
        grni[sku_id] += amount
    day = rules.book_date(posted_at or found[0].posted_at)
    roles, closed = await rules_and_period(day)
    cats = await _categories(list(set(booked) | set(grni)), held)
    lines: list[rules.Line] = []
    for sku_id in sorted(set(booked) | set(grni)):
        cat, stock, owed = cats.get(sku_id), booked.get(sku_id, rules.ZERO), grni.get(sku_id, rules.ZERO)
        lines.append(rules.signed(roles.account_id(Role.INVENTORY, cat), stock, sku_id=sku_id))
        lines.append(rules.signed(roles.account_id(Role.GRNI, cat), -owed, "supplier", supplier_id, sku_id))
        lines.append(rules.signed(roles.account_id(Role.PRICE_VARIANCE, cat), owed - stock, sku_id=sku_id))
    await write_entry(doc_type, doc_id, day, lines, path=(field,), memo=f"{doc_type} {doc_id}", closed=closed)
    await accrue({ol_id: change for ol_id, (_, change) in changes.items()})


async def book_goods_receipt(
    receipt_id: int,
    moves: Sequence[StockMove] | None = None,
    posted_at: datetime | None = None,
    *,
    lines: tuple[int, Sequence[tuple[int, Decimal]]] | None = None,
    held: Held | None = None,
) -> None:
    """Inventory Dr / GRNI (暂估应付) Cr at the order amount of what was received, and the accruals.

    Call after the order lines' ``received_base`` include this receipt. The posting passes ``lines``
    (its supplier id and its lines' (order line id, base quantity) in line order) and ``held``
    (see ``Held``) so nothing is read back."""
    if lines is None:
        receipt = await GoodsReceipt.get(id=receipt_id).select_related("order")
        read = [
            (ol_id, Decimal(qty))
            for ol_id, qty in await ReceiptLine.filter(receipt_id=receipt_id)
            .order_by("id")
            .values_list("order_line_id", "quantity_base")
        ]
        lines = (receipt.order.supplier_id, read)
    supplier_id, quantities = lines
    await _book_purchase(
        "goods_receipt", receipt_id, moves, posted_at, "receivedAt", supplier_id, quantities, held
    )


async def book_supplier_return(
    return_id: int, moves: Sequence[StockMove] | None = None, posted_at: datetime | None = None
) -> None:
    """GRNI Dr at what the receipt booked for the goods / inventory Cr at the moving average they leave
    with / the difference to price variance; the accruals shrink by the same GRNI amounts.

    Call after the order lines' ``returned_base`` include this return."""
    ret = await SupplierReturn.get(id=return_id).select_related("order")
    quantities = [
        (ol_id, -Decimal(qty))
        for ol_id, qty in await SupplierReturnLine.filter(supplier_return_id=return_id)
        .order_by("id")
        .values_list("order_line_id", "quantity_base")
    ]
    await _book_purchase(
        "supplier_return", return_id, moves, posted_at, "returnedAt", ret.order.supplier_id, quantities
    )


async def book_shipment(
    shipment_id: int,
    moves: Sequence[StockMove] | None = None,
    posted_at: datetime | None = None,
    *,
    customer_id: int | None = None,
    held: Held | None = None,
) -> None:
    """Cost of goods sold Dr / inventory Cr at the moving-average cost of the moves.

    The posting passes its order's ``customer_id`` and ``held`` (see ``Held``) so nothing is read back."""
    if customer_id is None:
        shipment = await Shipment.get(id=shipment_id).select_related("order")
        customer_id = shipment.order.customer_id
    await _book_stock(
        "shipment",
        shipment_id,
        moves,
        posted_at,
        Role.COGS,
        "shippedAt",
        ("customer", customer_id),
        held,
    )


async def book_customer_return(
    return_id: int, moves: Sequence[StockMove] | None = None, posted_at: datetime | None = None
) -> None:
    """Inventory Dr / cost of goods sold Cr at the cost the goods left with."""
    ret = await CustomerReturn.get(id=return_id)
    order = await SalesOrder.get(id=ret.order_id)
    await _book_stock(
        "customer_return",
        return_id,
        moves,
        posted_at,
        Role.COGS,
        "returnedAt",
        ("customer", order.customer_id),
    )


async def book_stock_count(
    count_id: int, moves: Sequence[StockMove] | None = None, posted_at: datetime | None = None
) -> None:
    """Gains: inventory Dr / 待处理财产损溢 Cr; losses the other way (write-offs go through the same)."""
    await _book_stock("stock_count", count_id, moves, posted_at, Role.STOCK_DIFFERENCE, "postedAt")


async def book_write_off(
    destruction_id: int, moves: Sequence[StockMove] | None = None, posted_at: datetime | None = None
) -> None:
    """A batch destroyed or scrapped: 待处理财产损溢 Dr / inventory Cr (written off later by hand to
    营业外支出 or 管理费用 once approved, as 小企业会计准则 has it)."""
    await _book_stock(
        "batch_destruction", destruction_id, moves, posted_at, Role.STOCK_DIFFERENCE, "postedAt"
    )


async def book_transformation(
    transformation_id: int, moves: Sequence[StockMove] | None = None, posted_at: datetime | None = None
) -> None:
    """Repacking or processing: inventory of the outputs Dr / of the inputs Cr; the cost rounding left over
    goes to 待处理财产损溢 so the entry balances."""
    await _book_stock(
        "transformation", transformation_id, moves, posted_at, Role.STOCK_DIFFERENCE, "postedAt"
    )
