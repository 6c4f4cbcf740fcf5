"""Pure stock rules: statuses, unit conversion, FEFO picking, moving-average costing.

What a lot needs near its dates (alerts, promotion proposals) is ``domain.expiry.rules``."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.common.errors import ValidationError

QTY_PLACES = Decimal("0.0001")
COST_PLACES = Decimal("0.0001")
ZERO = Decimal(0)


class StockStatus(StrEnum):
    # InvenTree's lesson: leave room for more statuses; only "available" may be allocated.
    AVAILABLE = "available"
    QUARANTINE = "quarantine"
    BLOCKED = "blocked"
    REJECTED = "rejected"
    EXPIRED = "expired"


ALLOCATABLE = frozenset({StockStatus.AVAILABLE})

# Which stock a batch status change takes with it. Rejected and expired stock is final: no release,
# block or inspection brings it back; it can only be returned or destroyed.
_MOVED_TO: dict[StockStatus, frozenset[StockStatus]] = {
    StockStatus.AVAILABLE: frozenset({StockStatus.QUARANTINE, StockStatus.BLOCKED}),
    StockStatus.QUARANTINE: frozenset({StockStatus.AVAILABLE}),  # a blocked (recalled) lot stays blocked
    StockStatus.BLOCKED: frozenset({StockStatus.AVAILABLE, StockStatus.QUARANTINE}),
    StockStatus.REJECTED: frozenset({StockStatus.AVAILABLE, StockStatus.QUARANTINE, StockStatus.BLOCKED}),
    StockStatus.EXPIRED: frozenset({StockStatus.AVAILABLE, StockStatus.QUARANTINE, StockStatus.BLOCKED}),
}


def statuses_moved_to(status: StockStatus) -> frozenset[StockStatus]:
    return _MOVED_TO[status]


class LocationKind(StrEnum):
    INTERNAL = "internal"
    TRANSIT = "transit"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    ADJUSTMENT = "adjustment"
    SCRAP = "scrap"


# Stock in these kinds is ours: it has quants and carries value.
OWNED_KINDS = frozenset({LocationKind.INTERNAL, LocationKind.TRANSIT})


def quantize_qty(q: Decimal) -> Decimal:
    return q.quantize(QTY_PLACES, rounding=ROUND_HALF_UP)


def quantize_cost(c: Decimal) -> Decimal:
    return c.quantize(COST_PLACES, rounding=ROUND_HALF_UP)


def require_positive(quantity: Decimal, path: tuple[str, ...]) -> Decimal:
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError(f"quantity must be greater than zero, got {quantity}", path)
    if quantize_qty(quantity) != quantity:
        raise ValidationError(f"quantity {quantity} has more than 4 decimal places", path)
    return quantity


def to_base(quantity: Decimal, factor: Decimal) -> Decimal:
    return quantize_qty(quantity * factor)


def unit_factor(units: dict[str, Decimal], unit: str, sku_code: str, path: tuple[str, ...]) -> Decimal:
    try:
        return units[unit]
    except KeyError:
        allowed = ", ".join(sorted(units))
        raise ValidationError(
            f"unit {unit!r} is not defined for SKU {sku_code} (use one of {allowed})", path
        ) from None


def is_expired(expiry_date: date | None, today: date) -> bool:
    """The expiry date is the last day of sale: expired from the next business day on."""
    return expiry_date is not None and expiry_date < today


def limiting_date(expiry_date: date | None, best_before_date: date | None) -> date | None:
    """The earliest date that limits the sale of a lot: its legal expiry or its best-before, whichever comes
    first (a lot best before tomorrow sells before one that expires in 30 days); None for an undated lot."""
    dates = [d for d in (expiry_date, best_before_date) if d is not None]
    return min(dates) if dates else None


def status_at(status: str, expiry_date: date | None, today: date) -> str:
    """What stock of ``status`` is on business day ``today``: available stock of a lot past its expiry date
    is expired even before the scheduled expiry job has moved it (read time and picking agree)."""
    if status == StockStatus.AVAILABLE and is_expired(expiry_date, today):
        return StockStatus.EXPIRED
    return status


@dataclass(frozen=True)
class QuantCandidate:
    quant_id: int
    batch_id: int
    location_id: int
    expiry_date: date | None
    best_before_date: date | None
    quant_status: str
    batch_status: str
    free: Decimal  # quantity less what is reserved


@dataclass(frozen=True)
class Pick:
    quant_id: int
    batch_id: int
    location_id: int
    quantity: Decimal


def is_allocatable(c: QuantCandidate, today: date) -> bool:
    return (
        c.quant_status in ALLOCATABLE
        and c.batch_status in ALLOCATABLE
        and not is_expired(c.expiry_date, today)
        and c.free > 0
    )


FefoKey = tuple[date, date, int, int]


def fefo_dates(expiry_date: date | None, best_before_date: date | None) -> tuple[date, date]:
    """A lot's place in FEFO order: (limiting date, legal expiry), an undated one as ``date.max`` (last).
    Stored on each of its quants (``StockQuant.fefo_limit``, ``fefo_expiry``) so PostgreSQL can read a
    SKU's stock in this order from an index (``fefo_prefix``)."""
    return (limiting_date(expiry_date, best_before_date) or date.max, expiry_date or date.max)


def fefo_key(c: QuantCandidate) -> FefoKey:
    # First limiting date first out (min of expiry and best-before), then the legal expiry; undated batches
    # last; ties broken by batch then location for determinism.
    return (*fefo_dates(c.expiry_date, c.best_before_date), c.batch_id, c.location_id)


def pick_fefo(
    candidates: Iterable[QuantCandidate], quantity: Decimal, today: date
) -> tuple[list[Pick], Decimal]:
    """Picks up to ``quantity`` from allocatable stock, earliest limiting date first (``fefo_key``); never
    stock past its expiry date on business day ``today``. Returns the picks and the shortfall."""
    remaining = quantity
    picks: list[Pick] = []
    for c in sorted((c for c in candidates if is_allocatable(c, today)), key=fefo_key):
        if remaining <= 0:
            break
        take = min(c.free, remaining)
        picks.append(Pick(c.quant_id, c.batch_id, c.location_id, take))
        remaining -= take
    return picks, max(remaining, ZERO)


def allocatable_total(candidates: Sequence[QuantCandidate], today: date) -> Decimal:
    return sum((c.free for c in candidates if is_allocatable(c, today)), ZERO)


@dataclass(frozen=True)
class Valuation:
    quantity: Decimal
    value: Decimal

    @property
    def average_cost(self) -> Decimal:
        return quantize_cost(self.value / self.quantity) if self.quantity > 0 else ZERO


def value_in(v: Valuation, quantity: Decimal, unit_cost: Decimal) -> tuple[Valuation, Decimal]:
    """Moving average: incoming stock at its own cost. Returns the new valuation and the move's value."""
    move_value = quantize_cost(quantity * unit_cost)
    return Valuation(v.quantity + quantity, v.value + move_value), move_value


def value_in_at(v: Valuation, quantity: Decimal, value: Decimal) -> tuple[Valuation, Decimal]:
    """Incoming stock at a value the document fixes (a receipt at the order amount, to the cent)."""
    return Valuation(v.quantity + quantity, v.value + value), value


def value_out(v: Valuation, quantity: Decimal) -> tuple[Valuation, Decimal]:
    """Outgoing stock at the current average; the last unit takes whatever value is left, so no residue
    stays on an empty SKU."""
    if quantity >= v.quantity:
        move_value = v.value
    else:
        move_value = quantize_cost(quantity * v.value / v.quantity) if v.quantity > 0 else ZERO
    return Valuation(v.quantity - quantity, v.value - move_value), move_value
