"""Finance use cases: the journal entries of stock postings, manual and reversing entries, periods, the chart.

The ``book_*`` functions run inside the stock posting's transaction (called by purchasing, sales and inventory
services after their moves and lines are written): they raise to refuse the posting (closed period), and
whatever they wrote rolls back with it. Bills, invoices and payments live in ``bills``, ``invoices`` and
``payments``; reports in ``reports``.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tortoise.transactions import in_transaction

from domain.catalog.models import Category, Sku
from domain.common import bulk
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.finance import rules
from domain.finance.errors import AlreadyReversed, WrongAccountType
from domain.finance.journal import (
    RuleAccounts,
    entry_number,
    role_map,
    rule_accounts,
    seed_chart,
    write_entry,
)
from domain.finance.models import (
    Account,
    FiscalPeriod,
    JournalEntry,
    JournalLine,
    PostingRule,
    PurchaseAccrual,
)
from domain.inventory import rules as stock_rules
from domain.inventory.models import Location, SkuValuation, StockMove
from domain.purchasing.models import GoodsReceipt, PurchaseOrder, SupplierReturnLine
from domain.purchasing.models import GoodsReceiptLine as ReceiptLine
from domain.sales.models import CustomerReturn, SalesOrder, Shipment

Role = rules.Role
__all__ = ["seed_chart"]


# --- stock postings ---------------------------------------------------------------------------


async def _moves(doc_type: str, doc_id: int, moves: Sequence[StockMove] | None) -> list[StockMove]:
    if moves is not None:
        return list(moves)
    return await StockMove.filter(doc_type=doc_type, doc_id=doc_id).order_by("id")


async def booked_by_sku(moves: Sequence[StockMove]) -> dict[int, Decimal]:
    """Per SKU, the cent amount the posting moves into (+) or out of (−) inventory (see ``rules``)."""
    loc_ids = {m.from_location_id for m in moves} | {m.to_location_id for m in moves}
    owned = {loc.id for loc in await Location.filter(id__in=loc_ids) if loc.kind in stock_rules.OWNED_KINDS}
    change: dict[int, Decimal] = defaultdict(Decimal)
    for m in moves:
        into, out = m.to_location_id in owned, m.from_location_id in owned
        if into and not out:
            change[m.sku_id] += Decimal(m.value)
        elif out and not into:
            change[m.sku_id] -= Decimal(m.value)
    after = {v.sku_id: Decimal(v.value) for v in await SkuValuation.filter(sku_id__in=list(change))}
    return {sku: rules.booked_change(after[sku], c) for sku, c in change.items()}


async def _categories(sku_ids: Sequence[int]) -> dict[int, int | None]:
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
) -> tuple[dict[int, Decimal], list[StockMove]]:
    found = await _moves(doc_type, doc_id, moves)
    if not found:
        return {}, found
    booked = await booked_by_sku(found)
    roles = await rule_accounts()
    lines = _inventory_lines(roles, booked, await _categories(list(booked)), counter, partner)
    day = rules.book_date(posted_at or found[0].posted_at)
    await write_entry(doc_type, doc_id, day, lines, path=(field,), memo=f"{doc_type} {doc_id}")
    return booked, found


async def _accrue(order_line_amounts: dict[int, tuple[Decimal, Decimal]]) -> None:
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


def _split(
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


async def book_goods_receipt(
    receipt_id: int, moves: Sequence[StockMove] | None = None, posted_at: datetime | None = None
) -> None:
    """Inventory Dr / GRNI (暂估应付) Cr at the receipt's value, and the order lines' accruals."""
    receipt = await GoodsReceipt.get(id=receipt_id).select_related("order")
    order = receipt.order
    booked, _ = await _book_stock(
        "goods_receipt",
        receipt_id,
        moves,
        posted_at,
        Role.GRNI,
        "receivedAt",
        ("supplier", order.supplier_id),
    )
    lines = [
        (ol_id, sku_id, Decimal(qty), Decimal(cost))
        for ol_id, sku_id, qty, cost in await ReceiptLine.filter(receipt_id=receipt_id)
        .order_by("id")
        .values_list("order_line_id", "batch__sku_id", "quantity_base", "unit_cost")
    ]
    await _accrue(_split(booked, lines))


async def book_supplier_return(
    return_id: int, moves: Sequence[StockMove] | None = None, posted_at: datetime | None = None
) -> None:
    """GRNI Dr / inventory Cr at the moving-average cost the goods leave with; the accruals shrink."""
    lines_ = await SupplierReturnLine.filter(supplier_return_id=return_id).prefetch_related(
        "order_line", "supplier_return"
    )
    supplier_id = None
    if lines_:
        order = await PurchaseOrder.get(id=lines_[0].order_line.order_id)
        supplier_id = order.supplier_id
    partner = ("supplier", supplier_id) if supplier_id is not None else None
    booked, _ = await _book_stock(
        "supplier_return", return_id, moves, posted_at, Role.GRNI, "returnedAt", partner
    )
    split = _split(
        booked,
        [
            (ln.order_line_id, ln.order_line.sku_id, Decimal(ln.quantity_base), Decimal(ln.unit_cost))
            for ln in lines_
        ],
    )
    await _accrue({ol: (-q, a) for ol, (q, a) in split.items()})


async def book_shipment(
    shipment_id: int, moves: Sequence[StockMove] | None = None, posted_at: datetime | None = None
) -> None:
    """Cost of goods sold Dr / inventory Cr at the moving-average cost of the moves."""
    shipment = await Shipment.get(id=shipment_id).select_related("order")
    await _book_stock(
        "shipment",
        shipment_id,
        moves,
        posted_at,
        Role.COGS,
        "shippedAt",
        ("customer", shipment.order.customer_id),
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


# --- manual and reversing entries -------------------------------------------------------------


@dataclass(frozen=True)
class ManualLineInput:
    account_code: str
    debit: Decimal = rules.ZERO
    credit: Decimal = rules.ZERO
    memo: str = ""


async def journal_entry_post(
    entry_date: date,
    lines: list[ManualLineInput],
    memo: str = "",
    key: str | None = None,
    posted_by_id: int | None = None,
) -> Posted:
    """A manual entry (e.g. expenses, capital): balanced, active non-control accounts only."""

    async def body() -> Posted:
        if len(lines) > 500:
            raise ValidationError("at most 500 lines per entry", ("lines",))
        accounts = {a.code: a for a in await Account.filter(code__in={ln.account_code for ln in lines})}
        drafts: list[rules.Line] = []
        for i, ln in enumerate(lines):
            path = ("lines", str(i), "accountCode")
            account = accounts.get(ln.account_code)
            if account is None or not account.active:
                raise NotFound("account", ln.account_code, path)
            if account.control:
                raise WrongAccountType(
                    f"account {account.code} mirrors a sub-ledger and takes automatic postings only", path
                )
            drafts.append(rules.Line(account.id, ln.debit, ln.credit, memo=ln.memo))
        rules.check_entry(drafts)
        entry = await write_entry(
            "manual",
            0,
            entry_date,
            drafts,
            memo=memo,
            source="manual",
            path=("entryDate",),
            posted_by_id=posted_by_id,
        )
        assert entry is not None
        return Posted("journal_entry", entry.id, entry_number(entry.id))

    return await posting("journal_entry_post", key, body)


async def journal_entry_reverse(
    entry_id: int, on: date, memo: str = "", key: str | None = None, posted_by_id: int | None = None
) -> Posted:
    """The correction of an entry: a new entry with every side swapped, dated ``on`` (an open period)."""

    async def body() -> Posted:
        query = JournalEntry.filter(id=entry_id)
        if is_postgres():
            query = query.select_for_update()
        entry = await query.first()
        if entry is None:
            raise NotFound("journal entry", entry_id, ("entryId",))
        if entry.source == "reversal":
            raise Conflict("a reversal is not reversed again: post a new entry", ("entryId",))
        if await JournalEntry.exists(reversal_of_id=entry.id):
            raise AlreadyReversed(f"entry {entry_number(entry.id)} is already reversed", ("entryId",))
        original = [
            rules.Line(
                ln.account_id,
                Decimal(ln.debit),
                Decimal(ln.credit),
                ln.partner_kind,
                ln.partner_id,
                ln.sku_id,
                ln.memo,
            )
            for ln in await JournalLine.filter(entry_id=entry.id).order_by("id")
        ]
        rev = await write_entry(
            entry.doc_type,
            entry.doc_id,
            on,
            rules.reverse(original),
            memo=memo or f"reversal of {entry_number(entry.id)}",
            source="reversal",
            path=("on",),
            reversal_of_id=entry.id,
            posted_by_id=posted_by_id,
        )
        assert rev is not None
        return Posted("journal_entry", rev.id, entry_number(rev.id))

    return await posting("journal_entry_reverse", key, body)


# --- periods ----------------------------------------------------------------------------------


async def period_set_closed(period: str, closed: bool, now: datetime) -> FiscalPeriod:
    rules.check_period(period)
    async with in_transaction():
        row, _ = await FiscalPeriod.get_or_create(period=period)
        query = FiscalPeriod.filter(id=row.id)
        if is_postgres():
            query = query.select_for_update()
        row = await query.get()
        row.closed = closed
        row.closed_at = now if closed else None
        await row.save(update_fields=["closed", "closed_at"])
        return row


# --- chart and posting rules ------------------------------------------------------------------


async def account_create(code: str, name: str, type_: str) -> Account:
    if not code.strip() or not code.isdigit():
        raise ValidationError("an account code is digits, e.g. 660201", ("code",))
    if not name.strip():
        raise ValidationError("an account needs a name", ("name",))
    try:
        kind = rules.AccountType(type_)
    except ValueError:
        raise ValidationError(f"unknown account type {type_!r}", ("type",)) from None
    async with in_transaction():
        if await Account.exists(code=code):
            raise Conflict(f"account {code} already exists", ("code",))
        return await Account.create(code=code, name=name.strip(), type=kind.value)


async def account_update(code: str, name: str | None = None, active: bool | None = None) -> Account:
    async with in_transaction():
        account = await Account.get_or_none(code=code)
        if account is None:
            raise NotFound("account", code, ("code",))
        if name is not None:
            if not name.strip():
                raise ValidationError("an account needs a name", ("name",))
            account.name = name.strip()
        if active is False and await PostingRule.exists(account_id=account.id):
            raise Conflict(f"account {code} is the target of a posting rule", ("active",))
        if active is not None:
            account.active = active
        await account.save()
        return account


async def posting_rule_set(role: str, account_code: str, category_code: str | None = None) -> PostingRule:
    """Points a role (for one SKU category, or for all) at an account of the right type."""
    try:
        parsed = Role(role)
    except ValueError:
        raise ValidationError(f"unknown role {role!r}", ("role",)) from None
    async with in_transaction():
        await role_map()  # seeds the chart on first use
        account = await Account.get_or_none(code=account_code, active=True)
        if account is None:
            raise NotFound("account", account_code, ("accountCode",))
        rules.check_role_account(parsed, account.type, account.code, ("accountCode",))
        category_id = None
        if category_code is not None:
            category = await Category.get_or_none(code=category_code)
            if category is None:
                raise NotFound("category", category_code, ("categoryCode",))
            category_id = category.id
        if parsed in rules.CONTROL_ROLES and not account.control:
            account.control = True
            await account.save(update_fields=["control"])
        rule = await PostingRule.get_or_none(role=parsed.value, category_id=category_id)
        if rule is None:
            return await PostingRule.create(role=parsed.value, category_id=category_id, account=account)
        rule.account_id = account.id
        await rule.save(update_fields=["account_id"])
        return rule
