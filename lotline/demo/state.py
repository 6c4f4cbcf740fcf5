"""What every part of the demo seed shares: the run's ``SeedState`` (ids of what was created, the random
generators, the agenda of later jobs, the summary being counted), the ``SeedSummary`` it returns, and the
demand model (seasons, the Spring Festival, school holidays) that purchasing, transfers and sales all plan by.

Times are UTC; quantities are ``Decimal`` in a SKU's base unit unless a unit is named; rates are base units
per day (floats: they only plan, postings are exact).
"""

import random
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from domain.common import business_time
from domain.inventory.models import StockQuant
from lotline.demo import catalog_data as data
from lotline.demo import progress as progress_bar
from lotline.demo.catalog_data import Delivery, DemoCustomer, DemoSku

DEFAULT_SEED = 20260105
MORNING, AFTERNOON = 0, 1
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
QTY = Decimal("0.0001")


@dataclass
class SeedSummary:
    """What a run created, counted by kind (documents, lines, events); ``str()`` is the one-line log."""

    skipped: bool = False
    first_day: date | None = None
    last_day: date | None = None
    categories: int = 0
    skus: int = 0
    warehouses: int = 0
    locations: int = 0
    suppliers: int = 0
    customers: int = 0
    users: int = 0
    purchase_orders: int = 0
    receipts: int = 0
    partial_receipts: int = 0  # receipts with at least one line short of the order
    over_receipts: int = 0  # receipt lines above the order, within tolerance
    purchase_orders_closed_short: int = 0
    qc_released: int = 0
    qc_rejected: int = 0
    sales_orders: int = 0
    shipments: int = 0
    partial_shipments: int = 0  # orders closed with less than ordered
    short_lines: int = 0  # InsufficientStock met while shipping (the line was cut to what was there)
    cancelled_orders: int = 0  # nothing at all could be shipped
    customer_returns: int = 0
    supplier_returns: int = 0
    stock_counts: int = 0
    count_lines: int = 0
    count_differences: int = 0
    expired_written_off: int = 0  # expired lots counted as 0 at month end
    transfers: int = 0
    cold_chain_receipts: int = 0  # receipts with their reefer's logger readings
    cold_chain_alerts: int = 0  # readings out of a received SKU's range (rare excursions)
    open_purchase_orders: int = 0
    open_sales_orders: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.skipped:
            return "demo data already present: nothing done"
        parts = [
            f"{f.name}={getattr(self, f.name)}" for f in fields(self) if f.name not in ("skipped", "seconds")
        ]
        return f"demo seed in {self.seconds:.1f} s: " + ", ".join(parts)


def at_hour(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour``:``minute`` UTC (Shanghai is UTC+8: 00:30 UTC is a delivery at 08:30)."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _unit_table(sku: DemoSku) -> dict[str, Decimal]:
    table = {sku.base_unit: Decimal(1)}
    table.update({u: Decimal(f) for u, f in sku.units})
    return table


def _days_to_new_year(day: date) -> int:
    """Signed days to the nearest Chinese New Year: positive before it, negative after."""
    best = 10_000
    for year in (day.year - 1, day.year, day.year + 1):
        if year in data.CHINESE_NEW_YEAR:
            month, dom = data.CHINESE_NEW_YEAR[year]
            delta = (date(year, month, dom) - day).days
            if abs(delta) < abs(best):
                best = delta
    return best


def demand_factor(sku: DemoSku, customer: DemoCustomer, day: date) -> float:
    """How much of its usual quantity a customer takes on ``day``: seasons, holidays, closures."""
    if sku.season and day.month not in sku.season:
        return 0.0
    to_cny = _days_to_new_year(day)
    kind = customer.kind
    if kind == "school" and (-14 <= to_cny <= 14 or ((day.month, day.day) >= (7, 5) and day.month < 9)):
        return 0.0  # winter and summer holidays
    if kind == "canteen" and -7 <= to_cny <= 3:
        return 0.0  # the park closes over the Spring Festival week
    factor = 1.0
    if 0 < to_cny <= 21:  # 年货: stocking up before the Spring Festival
        factor *= {"MEAT": 1.5, "SEAFOOD": 1.6, "EGG": 1.3, "DRY": 1.4, "FRUIT": 1.3}.get(sku.category, 1.0)
    if kind == "supermarket" and -7 <= to_cny <= 0:
        factor *= 0.7
    if kind == "hotpot":
        factor *= 1.3 if day.month in (11, 12, 1, 2) else 0.75 if day.month in (6, 7, 8) else 1.0
    if kind == "hotel" and day.month in (7, 8, 10):
        factor *= 1.2
    if sku.category == "VEG" and sku.shelf_life_days <= 7 and day.month in (7, 8):
        factor *= 0.85  # leafy greens suffer in the summer heat
    return factor


def delivers(d: Delivery, day: date, first_day: date) -> bool:
    """Whether delivery ``d`` comes on ``day``: a weekday of it, in a week of it since ``first_day``."""
    return day.weekday() in d.weekdays and ((day - first_day).days // 7) % d.every_weeks == 0


class SeedState:
    """The state of one run; the per-area seeders (master data, purchasing, sales, stock) extend it.

    ``rng`` draws every business decision in a fixed order, so a run is deterministic for a given ``seed``;
    an area added later draws from ``rng_for(area)`` instead, leaving every earlier document as it was.
    """

    def __init__(self, now: datetime, weeks: int, seed: int, password: str | None) -> None:
        self.now = now
        self.seed = seed
        self.rng = random.Random(seed)
        # Readings draw from a generator of their own, so they leave every other draw (and document) as
        # it was.
        self.sensor_rng = self.rng_for("sensors")
        self.password = password
        self.progress: progress_bar.Reporter = progress_bar.silent  # seed_demo sets the caller's
        self.summary = SeedSummary()
        self.last_day = business_time.business_today(now) - timedelta(days=1)
        self.first_day = self.last_day - timedelta(days=7 * weeks - 1)
        self.summary.first_day, self.summary.last_day = self.first_day, self.last_day
        self.skus = {s.code: s for s in data.SKUS}
        self.sku_index = {s.code: i for i, s in enumerate(data.SKUS)}
        self.units = {s.code: _unit_table(s) for s in data.SKUS}
        self.sku_ids: dict[str, int] = {}
        self.code_of: dict[int, str] = {}
        self.warehouse_ids: dict[str, int] = {}
        self.bins: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.posted_by: int | None = None
        self.lot_seq: dict[date, int] = defaultdict(int)
        self.agenda: dict[date, list[tuple[int, Callable[[], Awaitable[None]]]]] = defaultdict(list)
        # What each warehouse stocks, and from where.
        self.stocked: dict[str, set[str]] = defaultdict(set)
        for sup in data.SUPPLIERS:
            for d in sup.deliveries:
                self.stocked[d.warehouse].update(data.SUPPLIER_CATEGORIES[sup.code])
        for route in data.TRANSFER_ROUTES:
            self.stocked[route.target].update(route.categories)
        self.assortment: dict[str, list[tuple[DemoSku, float]]] = {}
        self.opens = {
            w.code: max(self.first_day, self.last_day - timedelta(days=7 * w.opened_weeks_ago - 1))
            if w.opened_weeks_ago
            else self.first_day
            for w in data.WAREHOUSES
        }

    def rng_for(self, area: str) -> random.Random:
        """A generator of the area's own, seeded from the run's seed."""
        return random.Random(f"{area}-{self.seed}")

    # --- helpers ---------------------------------------------------------------------------------

    def bin_for(self, warehouse: str, sku: DemoSku) -> str:
        bins = self.bins[(warehouse, sku.zone)]
        return bins[self.sku_index[sku.code] % len(bins)]

    def lot_code(self, produced: date) -> str:
        self.lot_seq[produced] += 1
        return f"L{produced:%Y%m%d}-{self.lot_seq[produced]:02d}"

    def production_date(self, sku: DemoSku, received: date) -> date:
        return received - timedelta(days=self.rng.randint(0, min(sku.shelf_life_days // 6, 30)))

    def schedule(self, day: date, phase: int, job: Callable[[], Awaitable[None]]) -> None:
        if day <= self.last_day:
            self.agenda[day].append((phase, job))

    def rate(self, warehouse: str, sku: DemoSku, day: date) -> tuple[float, float]:
        """Expected base units per day that leave ``warehouse`` for ``sku`` around ``day``, and the largest
        single order a customer may place (what must be on the shelf whatever the average says)."""
        total = peak = 0.0
        targets = {warehouse} | {
            r.target for r in data.TRANSFER_ROUTES if r.source == warehouse and sku.category in r.categories
        }
        for c in data.CUSTOMERS:
            if c.warehouse in targets:
                items = self.assortment[c.code]
                for s, weekly in items:
                    if s.code == sku.code:
                        factor = demand_factor(sku, c, day)
                        total += weekly * factor / 7
                        p = min(1.0, c.lines_per_order / len(items))
                        peak = max(peak, weekly * factor / len(c.weekdays) / p * 1.3)
        return total, peak

    async def usable(self, warehouse: str, codes: list[str], until: date) -> dict[str, Decimal]:
        """Free available stock per SKU in a warehouse that will still be sellable on ``until``."""
        rows = await StockQuant.filter(
            warehouse_id=self.warehouse_ids[warehouse],
            sku_id__in=[self.sku_ids[c] for c in codes],
            status="available",
            quantity__gt=0,
            location__kind="internal",
        ).values("sku_id", "quantity", "reserved", "batch__expiry_date", "batch__status")
        out: dict[str, Decimal] = defaultdict(Decimal)
        for r in rows:
            expiry = r["batch__expiry_date"]
            if r["batch__status"] == "available" and (expiry is None or expiry >= until):
                out[self.code_of[r["sku_id"]]] += Decimal(r["quantity"]) - Decimal(r["reserved"])
        return out
