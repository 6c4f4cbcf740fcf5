"""Production rules, pure: BOM explosion, component requirements, output dates and order costing.

Quantities are in each SKU's base unit, exact decimals; money is in the company currency. A BOM line's
``quantity`` is per unit of the BOM's output; ``scrap_rate`` is the component lost in handling (a fraction,
0.05 = 5 %); the BOM's ``yield_rate`` is the good share of what the process starts (0.9 = 90 %).
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum

ZERO = Decimal(0)
ONE = Decimal(1)
QTY = Decimal("0.0001")  # the ledger's quantity places
CENT = Decimal("0.01")
MAX_LEVELS = 10  # a deeper BOM is taken for a cycle


class OrderStatus(StrEnum):
    PLANNED = "planned"
    RELEASED = "released"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


#: Statuses in which a completion may be reported.
PRODUCING = frozenset({OrderStatus.RELEASED, OrderStatus.IN_PROGRESS})


class BomError(ValueError):
    """A BOM that cannot be exploded (a cycle, or a level past ``MAX_LEVELS``); ``path`` lists the SKUs."""

    def __init__(self, message: str, path: tuple[str, ...]) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Component:
    sku_code: str
    quantity: Decimal  # per output unit
    scrap_rate: Decimal = ZERO


@dataclass(frozen=True)
class BomSpec:
    """One BOM as the rules see it: its output, yield and component lines (by-products do not explode)."""

    sku_code: str
    yield_rate: Decimal
    components: tuple[Component, ...]


def require_fraction(value: Decimal, name: str, *, allow_one: bool, allow_zero: bool) -> None:
    """Raises ``ValueError`` unless ``value`` is a fraction in the allowed range."""
    low_ok = value > 0 or (allow_zero and value == 0)
    high_ok = value < 1 or (allow_one and value == 1)
    if not (low_ok and high_ok):
        raise ValueError(f"{name} must be in {'[' if allow_zero else '('}0, 1{']' if allow_one else ')'}")


def round_up(quantity: Decimal) -> Decimal:
    """To the ledger's 4 places, upwards: a line never consumes less than it needs."""
    return quantity.quantize(QTY, rounding=ROUND_CEILING)


def money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_requirement(component: Component, started: Decimal) -> Decimal:
    """What one line consumes for ``started`` output units (good plus process scrap), with its handling
    scrap: quantity × started × (1 + scrap_rate), rounded up to 4 places."""
    return round_up(component.quantity * started * (ONE + component.scrap_rate))


def started_for(good: Decimal, yield_rate: Decimal) -> Decimal:
    """The units to start so that ``good`` come out at ``yield_rate`` (planning; 4 places, up)."""
    return round_up(good / yield_rate)


def explode(sku_code: str, quantity: Decimal, boms: Mapping[str, BomSpec]) -> dict[str, Decimal]:
    """Gross requirements of the purchased materials (SKUs without a BOM) for ``quantity`` good units of
    ``sku_code``, through every level of ``boms`` (keyed by output SKU). Raises ``BomError`` on a cycle.

    Each level starts ``quantity / yield`` units and consumes its lines for them (``line_requirement``);
    a made component is exploded for what its parent consumes of it.
    """
    total: dict[str, Decimal] = defaultdict(Decimal)

    def walk(code: str, good: Decimal, path: tuple[str, ...]) -> None:
        if code in path:
            raise BomError(f"BOM cycle: {' > '.join((*path, code))}", (*path, code))
        if len(path) >= MAX_LEVELS:
            raise BomError(f"BOM deeper than {MAX_LEVELS} levels", (*path, code))
        bom = boms[code]
        started = started_for(good, bom.yield_rate)
        for c in bom.components:
            need = line_requirement(c, started)
            if c.sku_code in boms:
                walk(c.sku_code, need, (*path, code))
            else:
                total[c.sku_code] += need

    walk(sku_code, quantity, ())
    return dict(total)


def output_dates(
    produced: date,
    shelf_life_days: int | None,
    best_before_days: int | None,
    input_expiries: Sequence[date | None],
    input_best_befores: Sequence[date | None],
) -> tuple[date | None, date | None]:
    """(expiry, best-before) of an output lot made on ``produced``.

    Each is the earlier of the output SKU's own date (``produced`` + days) and the shortest-lived input's:
    a salad may not outlive its lettuce. Best-before is never after expiry. ``None`` when neither the SKU nor
    any input has a date of that kind.
    """
    own_expiry = produced + timedelta(days=shelf_life_days) if shelf_life_days is not None else None
    own_best = produced + timedelta(days=best_before_days) if best_before_days is not None else None
    expiry = _earliest([own_expiry, *input_expiries])
    best = _earliest([own_best, *input_best_befores])
    if best is not None and expiry is not None and best > expiry:
        best = expiry
    return expiry, best


def _earliest(days: Sequence[date | None]) -> date | None:
    return min((d for d in days if d is not None), default=None)


@dataclass(frozen=True)
class Operation:
    code: str
    work_centre: str
    setup_minutes: Decimal
    minutes_per_unit: Decimal
    labour_rate: Decimal  # per hour
    overhead_rate: Decimal  # per hour
    equipment: frozenset[str] = frozenset()  # what the operation may run on


@dataclass(frozen=True)
class Conversion:
    """Labour and overhead of a completion, in cents, with the minutes per operation."""

    labour: Decimal
    overhead: Decimal
    minutes: dict[str, Decimal] = field(default_factory=dict)


def conversion_cost(operations: Sequence[Operation], started: Decimal, first: bool) -> Conversion:
    """Labour and overhead applied for ``started`` units: per operation, (setup on the order's first
    completion + minutes per unit × started) / 60 × the hourly rate; each total rounded to cents once."""
    labour = overhead = ZERO
    minutes: dict[str, Decimal] = {}
    for op in operations:
        m = (op.setup_minutes if first else ZERO) + op.minutes_per_unit * started
        minutes[op.code] = m
        labour += m * op.labour_rate / 60
        overhead += m * op.overhead_rate / 60
    return Conversion(money(labour), money(overhead), minutes)


@dataclass(frozen=True)
class Costing:
    """The cost of one completion (cents): what goes into WIP and what leaves it for the output lots."""

    materials: Decimal
    labour: Decimal
    overhead: Decimal
    by_products: tuple[Decimal, ...]  # value of each by-product lot
    output: Decimal  # the main output lot: total less the by-products

    @property
    def total(self) -> Decimal:
        return self.materials + self.labour + self.overhead


def cost_completion(
    materials: Decimal, conversion: Conversion, by_product_values: Sequence[Decimal]
) -> Costing:
    """Materials at their ledger value (cents) plus labour and overhead; by-products are credited at their
    declared value and the main output carries the rest, so WIP is emptied exactly. Raises ``ValueError``
    when the by-products would be worth more than the whole cost (the main output would be negative)."""
    values = tuple(money(v) for v in by_product_values)
    total = money(materials) + conversion.labour + conversion.overhead
    output = total - sum(values, ZERO)
    if output < 0:
        raise ValueError(f"by-products worth {sum(values, ZERO)} exceed the completion's cost {total}")
    return Costing(money(materials), conversion.labour, conversion.overhead, values, output)
