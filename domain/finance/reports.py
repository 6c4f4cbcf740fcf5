"""Finance reports: trial balance, general ledger, ageing, partner statement, valuation, reconciliation.

Balances are summed in the database (one grouped query per figure), never by loading lines into Python,
so the trial balance of a million lines costs one index scan (bench/README.md).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tortoise.functions import Sum

from domain.catalog.models import Sku
from domain.common.errors import NotFound, ValidationError
from domain.finance import rules
from domain.finance.journal import role_map
from domain.finance.models import (
    Account,
    CustomerInvoice,
    JournalLine,
    PaymentAllocation,
    PurchaseAccrual,
    SupplierBill,
    SupplierBillLine,
)
from domain.inventory.models import SkuValuation, StockQuant, Warehouse
from domain.partners.models import Customer, Supplier

ZERO = rules.ZERO
Role = rules.Role


def _d(x: object) -> Decimal:
    return Decimal(str(x)) if x is not None else ZERO


@dataclass(frozen=True)
class TrialBalanceRow:
    account_code: str
    account_name: str
    account_type: str
    opening: Decimal  # debit positive
    debit: Decimal
    credit: Decimal
    closing: Decimal


async def _sums(**filters: object) -> dict[int, tuple[Decimal, Decimal]]:
    rows = (
        await JournalLine.filter(**filters)
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .group_by("account_id")
        .values("account_id", "d", "c")
    )
    return {r["account_id"]: (_d(r["d"]), _d(r["c"])) for r in rows}


async def trial_balance(start: date, end: date) -> list[TrialBalanceRow]:
    """Opening balance before ``start``, movements from ``start`` to ``end`` inclusive, closing balance."""
    if end < start:
        raise ValidationError("the end is before the start", ("end",))
    opening = await _sums(entry_date__lt=start)
    moves = await _sums(entry_date__gte=start, entry_date__lte=end)
    accounts = {a.id: a for a in await Account.filter(id__in=set(opening) | set(moves))}
    out = []
    for acc_id, a in sorted(accounts.items(), key=lambda kv: kv[1].code):
        od, oc = opening.get(acc_id, (ZERO, ZERO))
        d, c = moves.get(acc_id, (ZERO, ZERO))
        out.append(TrialBalanceRow(a.code, a.name, a.type, od - oc, d, c, od - oc + d - c))
    return out


@dataclass(frozen=True)
class LedgerLine:
    entry_id: int
    entry_date: date
    doc_type: str
    doc_id: int
    memo: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Ledger:
    title: str
    opening: Decimal
    lines: list[LedgerLine]
    closing: Decimal


async def _ledger(title: str, start: date, end: date, limit: int, **filters: object) -> Ledger:
    before = (
        await JournalLine.filter(entry_date__lt=start, **filters)
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("d", "c")
    )
    opening = _d(before[0]["d"]) - _d(before[0]["c"]) if before else ZERO
    balance = opening
    lines = []
    rows = (
        await JournalLine.filter(entry_date__gte=start, entry_date__lte=end, **filters)
        .order_by("entry_date", "id")
        .limit(limit)
    )
    for r in rows:
        balance += Decimal(r.debit) - Decimal(r.credit)
        lines.append(
            LedgerLine(r.entry_id, r.entry_date, r.doc_type, r.doc_id, r.memo, r.debit, r.credit, balance)
        )
    return Ledger(title, opening, lines, balance)


async def general_ledger(account_code: str, start: date, end: date, limit: int = 10_000) -> Ledger:
    account = await Account.get_or_none(code=account_code)
    if account is None:
        raise NotFound("account", account_code, ("accountCode",))
    return await _ledger(f"{account.code} {account.name}", start, end, limit, account_id=account.id)


async def partner_statement(kind: str, partner_code: str, start: date, end: date) -> Ledger:
    """The partner's lines on the payables (supplier) or receivables (customer) accounts, with balances."""
    model = Supplier if kind == "supplier" else Customer if kind == "customer" else None
    if model is None:
        raise ValidationError("kind is supplier or customer", ("kind",))
    partner = await model.get_or_none(code=partner_code)
    if partner is None:
        raise NotFound(kind, partner_code, ("partnerCode",))
    roles = await role_map()
    account = roles.account(Role.PAYABLES if kind == "supplier" else Role.RECEIVABLES)
    return await _ledger(
        f"{partner.code} {partner.name}",
        start,
        end,
        100_000,
        account_id=account.id,
        partner_kind=kind,
        partner_id=partner.id,
    )


@dataclass(frozen=True)
class AgeingRow:
    partner_code: str
    partner_name: str
    buckets: dict[str, Decimal]
    total: Decimal


async def ageing(kind: str, as_of: date) -> list[AgeingRow]:
    """Open payables (kind supplier) or receivables (customer) by partner, aged from the document date, as
    they stood at the end of ``as_of`` (payments after it are not counted)."""
    if kind == "supplier":
        docs = await SupplierBill.filter(status="posted", bill_date__lte=as_of).values(
            "id", "supplier_id", "bill_date", "total"
        )
        paid_rows = (
            await PaymentAllocation.filter(bill_id__isnull=False, payment__paid_on__lte=as_of)
            .annotate(s=Sum("amount"))
            .group_by("bill_id")
            .values("bill_id", "s")
        )
        paid = {r["bill_id"]: _d(r["s"]) for r in paid_rows}
        items = [(d["supplier_id"], d["bill_date"], _d(d["total"]) - paid.get(d["id"], ZERO)) for d in docs]
        names = {p.id: (p.code, p.name) for p in await Supplier.all()}
    elif kind == "customer":
        docs = await CustomerInvoice.filter(invoice_date__lte=as_of).values(
            "id", "customer_id", "invoice_date", "total"
        )
        paid_rows = (
            await PaymentAllocation.filter(invoice_id__isnull=False, payment__paid_on__lte=as_of)
            .annotate(s=Sum("amount"))
            .group_by("invoice_id")
            .values("invoice_id", "s")
        )
        paid = {r["invoice_id"]: _d(r["s"]) for r in paid_rows}
        items = [
            (d["customer_id"], d["invoice_date"], _d(d["total"]) - paid.get(d["id"], ZERO)) for d in docs
        ]
        names = {p.id: (p.code, p.name) for p in await Customer.all()}
    else:
        raise ValidationError("kind is supplier or customer", ("kind",))
    per: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for pid, day, open_amount in items:
        if open_amount:
            per[pid].append((day, open_amount))
    out = []
    for pid, rows in per.items():
        buckets = rules.age(rows, as_of)
        code, name = names.get(pid, (str(pid), ""))
        out.append(AgeingRow(code, name, buckets, sum(buckets.values(), ZERO)))
    return sorted(out, key=lambda r: r.partner_code)


@dataclass(frozen=True)
class ValuationRow:
    sku_code: str
    warehouse_code: str
    quantity: Decimal
    average_cost: Decimal
    value: Decimal


async def inventory_valuation(warehouse_code: str | None = None) -> list[ValuationRow]:
    """Stock we own by SKU and warehouse at the SKU's moving-average cost (valuation is company-wide)."""
    query = StockQuant.filter(quantity__gt=0)
    if warehouse_code is not None:
        wh = await Warehouse.get_or_none(code=warehouse_code)
        if wh is None:
            raise NotFound("warehouse", warehouse_code, ("warehouseCode",))
        query = query.filter(warehouse_id=wh.id)
    rows = (
        await query.annotate(q=Sum("quantity"))
        .group_by("sku_id", "warehouse_id")
        .values("sku_id", "warehouse_id", "q")
    )
    sku_ids = {r["sku_id"] for r in rows}
    skus = {s.id: s.code for s in await Sku.filter(id__in=sku_ids)}
    whs = {w.id: w.code for w in await Warehouse.filter(id__in={r["warehouse_id"] for r in rows})}
    costs = {v.sku_id: Decimal(v.average_cost) for v in await SkuValuation.filter(sku_id__in=sku_ids)}
    out = [
        ValuationRow(
            skus[r["sku_id"]],
            whs[r["warehouse_id"]],
            _d(r["q"]),
            costs.get(r["sku_id"], ZERO),
            rules.money(_d(r["q"]) * costs.get(r["sku_id"], ZERO)),
        )
        for r in rows
    ]
    return sorted(out, key=lambda r: (r.sku_code, r.warehouse_code))


@dataclass(frozen=True)
class Reconciliation:
    name: str
    books: Decimal  # balance of the control accounts (debit positive for assets, credit for liabilities)
    subledger: Decimal
    differences: dict[str, Decimal]  # key -> books - subledger, only where they differ

    @property
    def difference(self) -> Decimal:
        return self.books - self.subledger


async def _balance_by(accounts: list[int], key: str, **filters: object) -> dict[int, Decimal]:
    rows = (
        await JournalLine.filter(account_id__in=accounts, **filters)
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .group_by(key)
        .values(key, "d", "c")
    )
    return {r[key]: _d(r["d"]) - _d(r["c"]) for r in rows}


def _compare(
    name: str, books: dict[int, Decimal], sub: dict[int, Decimal], only: set[int] | None
) -> Reconciliation:
    keys = (set(books) | set(sub)) if only is None else only
    diffs = {
        str(k): books.get(k, ZERO) - sub.get(k, ZERO) for k in sorted(keys, key=lambda x: (x is None, x))
    }
    return Reconciliation(
        name,
        sum((books.get(k, ZERO) for k in keys), ZERO),
        sum((sub.get(k, ZERO) for k in keys), ZERO),
        {k: v for k, v in diffs.items() if v},
    )


async def reconcile_inventory(sku_ids: set[int] | None = None) -> Reconciliation:
    """Inventory accounts per SKU against the stock ledger's valuation of that SKU, rounded to the cent."""
    roles = await role_map()
    accounts = [a.id for a in roles.accounts_of(Role.INVENTORY)]
    books = await _balance_by(accounts, "sku_id")
    query = SkuValuation.all() if sku_ids is None else SkuValuation.filter(sku_id__in=sku_ids)
    ledger = {v.sku_id: rules.money(Decimal(v.value)) for v in await query}
    return _compare("inventory", books, ledger, sku_ids)


async def reconcile_payables(supplier_ids: set[int] | None = None) -> Reconciliation:
    roles = await role_map()
    books = await _balance_by([roles.account(Role.PAYABLES).id], "partner_id", partner_kind="supplier")
    open_: dict[int, Decimal] = defaultdict(Decimal)
    for b in await SupplierBill.filter(status="posted").values("supplier_id", "total", "paid"):
        open_[b["supplier_id"]] -= _d(b["total"]) - _d(b["paid"])  # credit balance: negative
    return _compare("payables", books, open_, supplier_ids)


async def reconcile_receivables(customer_ids: set[int] | None = None) -> Reconciliation:
    roles = await role_map()
    books = await _balance_by([roles.account(Role.RECEIVABLES).id], "partner_id", partner_kind="customer")
    open_: dict[int, Decimal] = defaultdict(Decimal)
    for i in await CustomerInvoice.all().values("customer_id", "total", "paid"):
        open_[i["customer_id"]] += _d(i["total"]) - _d(i["paid"])
    return _compare("receivables", books, open_, customer_ids)


async def reconcile_grni(supplier_ids: set[int] | None = None) -> Reconciliation:
    """暂估应付 per supplier against received-not-billed on the purchase accruals (posted bills only)."""
    roles = await role_map()
    books = await _balance_by(
        [a.id for a in roles.accounts_of(Role.GRNI)], "partner_id", partner_kind="supplier"
    )
    pending: dict[int, Decimal] = defaultdict(Decimal)
    for bl in await SupplierBillLine.filter(bill__status="pending_approval"):
        pending[bl.order_line_id] += Decimal(bl.cleared)
    open_: dict[int, Decimal] = defaultdict(Decimal)
    for a in await PurchaseAccrual.all().prefetch_related("order_line__order"):
        left = Decimal(a.received_amount) - Decimal(a.billed_amount) + pending.get(a.order_line_id, ZERO)
        open_[a.order_line.order.supplier_id] -= left
    return _compare("grni", books, open_, supplier_ids)


async def reconciliation() -> list[Reconciliation]:
    return [
        await reconcile_inventory(),
        await reconcile_grni(),
        await reconcile_payables(),
        await reconcile_receivables(),
    ]
