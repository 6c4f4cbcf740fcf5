"""The consistency check: rebuilds on-hand, valuation and reservations from the ledger, lists differences."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.common import business_time
from domain.expiry import check
from domain.inventory import rules
from domain.inventory.models import Batch, Location, Reservation, SkuValuation, StockMove, StockQuant


@dataclass(frozen=True)
class Difference:
    what: str
    key: str
    books: Decimal
    ledger: Decimal


FEFO_COPIES = ("fefo_limit", "fefo_expiry")


def _day(d: date) -> Decimal:
    return Decimal(d.strftime("%Y%m%d"))


async def check_consistency(now: datetime | None = None) -> list[Difference]:
    """Rebuilds on-hand and valuation from the ledger alone and lists every read-model row that disagrees.

    With ``now`` (the CLI passes the clock), also lists available stock past its expiry date on the business
    day of ``now``: books that agree while selling what may not be sold. Without it only the ledger is
    checked, so tests on fixed dates never depend on the day the suite runs."""
    owned_ids = {loc.id for loc in await Location.filter(kind__in=list(rules.OWNED_KINDS))}
    qty: dict[tuple[int, int, int, str], Decimal] = defaultdict(Decimal)
    val_qty: dict[int, Decimal] = defaultdict(Decimal)
    val_value: dict[int, Decimal] = defaultdict(Decimal)
    for m in await StockMove.all().order_by("id"):
        q = Decimal(m.quantity)
        if m.from_location_id in owned_ids:
            qty[(m.sku_id, m.from_location_id, m.batch_id, m.from_status)] -= q
        if m.to_location_id in owned_ids:
            qty[(m.sku_id, m.to_location_id, m.batch_id, m.to_status)] += q
        into, out = m.to_location_id in owned_ids, m.from_location_id in owned_ids
        if into and not out:
            val_qty[m.sku_id] += q
            val_value[m.sku_id] += Decimal(m.value)
        elif out and not into:
            val_qty[m.sku_id] -= q
            val_value[m.sku_id] -= Decimal(m.value)
    diffs: list[Difference] = []
    seen: set[tuple[int, int, int, str]] = set()
    fefo = {
        b: rules.fefo_dates(expiry, best_before)
        for b, expiry, best_before in await Batch.all().values_list("id", "expiry_date", "best_before_date")
    }
    for quant in await StockQuant.all():
        k = (quant.sku_id, quant.location_id, quant.batch_id, quant.status)
        seen.add(k)
        # The quant's copy of its batch's FEFO dates orders picking (``fefo_prefix``): dates as YYYYMMDD.
        stored_dates = (quant.fefo_limit, quant.fefo_expiry)
        for what, stored, batch in zip(FEFO_COPIES, stored_dates, fefo[quant.batch_id], strict=True):
            if stored != batch:
                diffs.append(Difference(what, str(k), _day(stored), _day(batch)))
        if Decimal(quant.quantity) != qty.get(k, rules.ZERO):
            diffs.append(Difference("on_hand", str(k), Decimal(quant.quantity), qty.get(k, rules.ZERO)))
        if Decimal(quant.quantity) < 0:
            diffs.append(Difference("negative_on_hand", str(k), Decimal(quant.quantity), rules.ZERO))
    for k, v in qty.items():
        if k not in seen and v != 0:
            diffs.append(Difference("on_hand_missing", str(k), rules.ZERO, v))
    for sv in await SkuValuation.all():
        if Decimal(sv.quantity) != val_qty.get(sv.sku_id, rules.ZERO):
            diffs.append(
                Difference("valuation_quantity", str(sv.sku_id), Decimal(sv.quantity), val_qty[sv.sku_id])
            )
        if Decimal(sv.value) != val_value.get(sv.sku_id, rules.ZERO):
            diffs.append(
                Difference("valuation_value", str(sv.sku_id), Decimal(sv.value), val_value[sv.sku_id])
            )
    reserved: dict[int, Decimal] = defaultdict(Decimal)
    for r in await Reservation.all():
        reserved[r.quant_id] += Decimal(r.quantity)
    # Quants that claim a reservation, and quants that reservations hold while claiming none.
    held = {q.id: q for q in await StockQuant.exclude(reserved=0)}
    if unclaimed := set(reserved) - set(held):
        held.update({q.id: q for q in await StockQuant.filter(id__in=list(unclaimed))})
    for quant in held.values():
        if Decimal(quant.reserved) != reserved.get(quant.id, rules.ZERO):
            diffs.append(Difference("reserved", str(quant.id), Decimal(quant.reserved), reserved[quant.id]))
    if now is not None:
        stale = await check.expired_but_available(business_time.business_today(now))
        diffs.extend(Difference(d.what, d.key, d.books, d.ledger) for d in stale)
    return diffs
