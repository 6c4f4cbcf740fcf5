"""The expiry scan: expire lots past their expiry date, raise near-expiry alerts, propose promotions.

Run by the scheduled worker job and on demand (``expiryScanRun``). Idempotent: an alert is unique per lot,
kind and expiry date, a proposal per lot and best-before date, and a lot expires once (its status moves
from ``available`` to ``expired`` with a ledger line per quant and an EPCIS ``holding / expired`` event), so
a second run on the same day adds nothing. Two scans racing insert with ``ON CONFLICT DO NOTHING``.
Quantities are in the SKU's base unit; days are business days (``domain.common.business_time``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from domain.catalog.models import Sku
from domain.common import business_time
from domain.expiry import rules
from domain.expiry.models import ExpiryAlert, ExpiryPolicy, PromotionProposal
from domain.inventory import rules as stock_rules
from domain.inventory import services as inventory
from domain.inventory.models import Batch, StockQuant, Warehouse
from domain.trace import builders, recording

Status = stock_rules.StockStatus


@dataclass(frozen=True)
class ScanResult:
    day: date  # the business day scanned
    batches_expired: int
    alerts_raised: int
    proposals_made: int


@dataclass
class _Lot:
    """A lot's owned stock, summed over its locations."""

    batch_id: int
    sku_id: int
    category_id: int | None
    expiry_date: date | None
    best_before_date: date | None
    on_hand: Decimal = Decimal(0)
    sellable: Decimal = Decimal(0)  # available status, not past expiry
    warehouses: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Policies:
    by_sku: dict[int, rules.Policy]
    by_category: dict[int, rules.Policy]
    default: rules.Policy | None

    def of(self, sku_id: int, category_id: int | None) -> rules.Policy:
        return rules.policy_for(sku_id, category_id, self.by_sku, self.by_category, self.default)

    def horizon(self) -> int:
        every = [*self.by_sku.values(), *self.by_category.values(), self.default or rules.BUILT_IN]
        return rules.horizon(every)


async def load_policies() -> Policies:
    by_sku: dict[int, rules.Policy] = {}
    by_category: dict[int, rules.Policy] = {}
    default: rules.Policy | None = None
    for p in await ExpiryPolicy.all():
        policy = rules.Policy(p.alert_days, p.promote_days, Decimal(p.markdown))
        if p.sku_id is not None:
            by_sku[p.sku_id] = policy
        elif p.category_id is not None:
            by_category[p.category_id] = policy
        else:
            default = policy
    return Policies(by_sku, by_category, default)


async def expiry_scan(now: datetime, warehouse_id: int | None = None) -> ScanResult:
    """Scans every lot with stock on hand (in one warehouse, or all) on the business day of ``now``."""
    today = business_time.business_today(now)
    expired = await expire_batches(now, warehouse_id)
    policies = await load_policies()
    lots = await _lots_due_soon(today, policies.horizon(), warehouse_id)
    alerts: list[ExpiryAlert] = []
    proposals: list[PromotionProposal] = []
    for lot in lots.values():
        policy = policies.of(lot.sku_id, lot.category_id)
        due = rules.due_on(lot.expiry_date, lot.best_before_date, today, policy)
        if due.alert is not None and lot.expiry_date is not None:
            alerts.append(
                ExpiryAlert(
                    batch_id=lot.batch_id,
                    sku_id=lot.sku_id,
                    kind=due.alert,
                    expiry_date=lot.expiry_date,
                    raised_on=today,
                    days_left=(lot.expiry_date - today).days,
                    quantity=lot.on_hand,
                    created_at=now,
                )
            )
        if due.promote and lot.best_before_date is not None and lot.sellable > 0:
            proposals.append(
                PromotionProposal(
                    batch_id=lot.batch_id,
                    sku_id=lot.sku_id,
                    best_before_date=lot.best_before_date,
                    proposed_on=today,
                    days_left=(lot.best_before_date - today).days,
                    quantity=lot.sellable,
                    suggested_markdown=policy.markdown,
                    created_at=now,
                )
            )
    async with in_transaction():
        raised = await _insert_new_alerts(alerts)
        made = await _insert_new_proposals(proposals)
    return ScanResult(today, expired, raised, made)


async def expire_batches(now: datetime, warehouse_id: int | None = None) -> int:
    """Moves every available lot past its expiry date to ``expired`` (its stock with it: blocked from sale,
    reservations released), one transaction per lot. Held lots (quarantine, blocked) keep their status
    until their verdict; their stock is not sellable anyway, and the scan alerts on it."""
    today = business_time.business_today(now)
    query = Batch.filter(status=Status.AVAILABLE, expiry_date__lt=today)
    if warehouse_id is not None:  # lots with stock there (a lot's status is the same everywhere)
        query = query.filter(
            id__in=Subquery(StockQuant.filter(warehouse_id=warehouse_id, quantity__gt=0).values("batch_id"))
        )
    due = await query.order_by("id")
    count = 0
    for batch_id in [b.id for b in due]:
        async with in_transaction():
            if not await Batch.filter(id=batch_id, status=Status.AVAILABLE).exists():
                continue  # a concurrent scan got there first
            batch = await inventory.set_batch_status(batch_id, Status.EXPIRED, now, "batch_expire")
            await _record_expired(batch, now)
            count += 1
    return count


async def _record_expired(batch: Batch, now: datetime) -> None:
    """EPCIS ObjectEvent OBSERVE, holding / expired, for the lot's stock on hand (none: no event)."""
    quants = await StockQuant.filter(
        batch_id=batch.id, quantity__gt=0, status=Status.EXPIRED
    ).prefetch_related("location")
    total = sum((Decimal(q.quantity) for q in quants), Decimal(0))
    if total <= 0:
        return
    wh_ids = sorted({q.location.warehouse_id for q in quants if q.location.warehouse_id is not None})
    wh = await Warehouse.get_or_none(id=wh_ids[0]) if wh_ids else None
    sku = await Sku.get(id=batch.sku_id)
    place = recording.warehouse_place(wh) if wh else recording.place("LOTLINE")
    await recording.record_lot_event(
        [recording.LotQuantity(batch, sku, total)],
        event_time=now,
        action=builders.Action.OBSERVE,
        biz_step="holding",
        disposition="expired",
        read_point=place,
        doc_type="batch_expire",
        doc_id=batch.id,
    )


async def _lots_due_soon(today: date, horizon_days: int, warehouse_id: int | None) -> dict[int, _Lot]:
    """Owned stock on hand of lots whose expiry or best-before date falls before ``today + horizon``."""
    limit = today + timedelta(days=horizon_days)
    query = StockQuant.filter(
        Q(batch__expiry_date__lte=limit) | Q(batch__best_before_date__lte=limit),
        quantity__gt=0,
        location__kind__in=list(stock_rules.OWNED_KINDS),
    )
    if warehouse_id is not None:
        query = query.filter(warehouse_id=warehouse_id)
    rows = await query.values(
        "batch_id",
        "sku_id",
        "warehouse_id",
        "status",
        "quantity",
        "batch__status",
        "batch__expiry_date",
        "batch__best_before_date",
        "sku__category_id",
    )
    lots: dict[int, _Lot] = {}
    for r in rows:
        lot = lots.get(r["batch_id"])
        if lot is None:
            lot = lots[r["batch_id"]] = _Lot(
                r["batch_id"],
                r["sku_id"],
                r["sku__category_id"],
                r["batch__expiry_date"],
                r["batch__best_before_date"],
            )
        quantity = Decimal(str(r["quantity"]))
        lot.on_hand += quantity
        lot.warehouses.add(r["warehouse_id"])
        status = stock_rules.status_at(r["status"], lot.expiry_date, today)
        if status == Status.AVAILABLE and r["batch__status"] == Status.AVAILABLE:
            lot.sellable += quantity
    return lots


async def _insert_new_alerts(alerts: list[ExpiryAlert]) -> int:
    if not alerts:
        return 0
    seen: set[tuple[int, str, date]] = set()
    by_batch: dict[int, list[ExpiryAlert]] = defaultdict(list)
    for a in alerts:
        by_batch[a.batch_id].append(a)
    for batch_id, kind, day in await ExpiryAlert.filter(batch_id__in=list(by_batch)).values_list(
        "batch_id", "kind", "expiry_date"
    ):
        seen.add((batch_id, kind, day))
    new = [a for a in alerts if (a.batch_id, a.kind, a.expiry_date) not in seen]
    if new:
        await ExpiryAlert.bulk_create(new, ignore_conflicts=True)
    return len(new)


async def _insert_new_proposals(proposals: list[PromotionProposal]) -> int:
    if not proposals:
        return 0
    seen = set(
        await PromotionProposal.filter(batch_id__in=[p.batch_id for p in proposals]).values_list(
            "batch_id", "best_before_date"
        )
    )
    new = [p for p in proposals if (p.batch_id, p.best_before_date) not in seen]
    if new:
        await PromotionProposal.bulk_create(new, ignore_conflicts=True)
    return len(new)
