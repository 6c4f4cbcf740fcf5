"""Plays a year of a fresh-food distributor through the domain services: ``seed_demo(now)``.

Everything is posted by the same services the API calls, in the order a real business would (receipts in the
morning, shipments after, returns in the afternoon, counts at month end), with ``received_at``/``shipped_at``
in the past, so ledger, on-hand, reservations and valuation are what the application itself would hold.
The run is deterministic for a given ``now`` and ``seed``; reads (stock levels, document lines) go straight to
the models, writes only through services.
"""

import logging
import math
import random
import secrets
import time as clock
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from tortoise import Tortoise

from domain.catalog import services as catalog
from domain.catalog.models import Sku
from domain.catalog.rules import UnitDef
from domain.catalog.services import OrderLineInput
from domain.common.errors import Conflict, InsufficientStock, ValidationError
from domain.inventory import counts as stock_counts
from domain.inventory import services as inventory
from domain.inventory import transfers
from domain.inventory.models import StockCountLine, StockQuant
from domain.partners import services as partners
from domain.purchasing import receipts
from domain.purchasing import returns as supplier_returns
from domain.purchasing import services as purchasing
from domain.purchasing.models import GoodsReceiptLine, PurchaseOrderLine
from domain.purchasing.receipts import ReceiptLineInput
from domain.purchasing.returns import ReturnLineInput
from domain.quality.models import BatchAlert
from domain.quality.rules import SensorReadingInput
from domain.sales import returns as customer_returns
from domain.sales import services as sales
from domain.sales import shipments
from domain.sales.models import SalesOrderLine, ShipmentLine
from domain.sales.returns import CustomerReturnLineInput
from domain.sales.shipments import ShipmentLineInput
from lotline.demo import catalog_data as data
from lotline.demo import progress as progress_bar
from lotline.demo.catalog_data import Delivery, DemoCustomer, DemoSku, DemoSupplier

log = logging.getLogger(__name__)

DEFAULT_SEED = 20260105
MORNING, AFTERNOON = 0, 1
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
QTY = Decimal("0.0001")


@dataclass
class SeedSummary:
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


async def seed_demo(
    now: datetime,
    *,
    weeks: int = 52,
    seed: int = DEFAULT_SEED,
    password: str | None = None,
    progress: progress_bar.Reporter = progress_bar.silent,
) -> SeedSummary:
    """Loads the demo data set: catalogue, warehouses, partners, users, and ``weeks`` of history to ``now``.

    Does nothing (``skipped``) when the demo is already loaded; refuses (``Conflict``) when a previous run
    stopped half-way, since its postings cannot be taken back: reset the database and run it again.
    Users get ``password`` if given, else each a random one (use ``lotline create-token`` to log in).
    ``progress(done, total, what)`` is called after each step (``lotline.demo.progress``).
    """
    if now.tzinfo is None:
        raise ValidationError("now must be timezone-aware", ("now",))
    if weeks < 1:
        raise ValidationError("weeks must be at least 1", ("weeks",))
    if await Sku.exists(code=data.FIRST_SKU_CODE):
        if await partners.user_exists("admin"):
            return SeedSummary(skipped=True)
        raise Conflict(
            "部分演示数据已存在（上次载入中断）/ demo data is partly loaded (an earlier run stopped): "
            "reset the database and seed again"
        )
    seeder = _Seeder(now.astimezone(UTC), weeks, random.Random(seed), password)
    # Readings draw from a generator of their own, so they leave every other draw (and document) as it was.
    seeder.sensor_rng = random.Random(f"sensors-{seed}")
    seeder.progress = progress
    await seeder.run()
    return seeder.summary


def _limit(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
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


def _delivers(d: Delivery, day: date, first_day: date) -> bool:
    return day.weekday() in d.weekdays and ((day - first_day).days // 7) % d.every_weeks == 0


class _Seeder:
    def __init__(self, now: datetime, weeks: int, rng: random.Random, password: str | None) -> None:
        self.now = now
        self.rng = rng
        self.sensor_rng = random.Random(0)
        self.progress: progress_bar.Reporter = progress_bar.silent
        self.password = password
        self.summary = SeedSummary()
        self.last_day = now.date() - timedelta(days=1)
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

    # --- master data -----------------------------------------------------------------------------

    async def master_data(self) -> None:
        s = self.summary
        for code, zh, en in data.CATEGORIES:
            await catalog.create_category(code, zh, en)
            s.categories += 1
        for sku in data.SKUS:
            row = await catalog.create_sku(
                catalog.SkuInput(
                    code=sku.code,
                    name_zh=sku.name_zh,
                    name_en=sku.name_en,
                    base_unit=sku.base_unit,
                    purchase_unit=sku.purchase_unit,
                    sales_unit=sku.sales_unit,
                    units=[UnitDef(u, Decimal(f)) for u, f in sku.units],
                    category_code=sku.category,
                    gtin=data.gs1_number(sku.gtin_ref) if sku.gtin_ref is not None else None,
                    shelf_life_days=sku.shelf_life_days,
                    best_before_days=sku.best_before_days,
                    tax_rate=Decimal(sku.tax_rate),
                    tax_exempt=sku.tax_exempt,
                    high_risk=sku.high_risk,
                    temperature_min=_limit(sku.limits[0]),
                    temperature_max=_limit(sku.limits[1]),
                    humidity_max=_limit(sku.limits[2]),
                )
            )
            self.sku_ids[sku.code] = row.id
            self.code_of[row.id] = sku.code
            s.skus += 1
        for wh in data.WAREHOUSES:
            warehouse = await inventory.create_warehouse(wh.code, wh.name, data.gs1_number(wh.gln_ref))
            self.warehouse_ids[wh.code] = warehouse.id
            s.warehouses += 1
            for zone, (zh, en) in data.ZONES.items():
                zone_code = f"{wh.code}-{zone}"
                await inventory.create_location(wh.code, zone_code, f"{zh} {en}")
                s.locations += 1
                for a in range(1, wh.aisles + 1):
                    aisle = f"{zone_code}-A{a}"
                    await inventory.create_location(zone_code, aisle, f"{zh} {a}排 aisle {a}")
                    s.locations += 1
                    for b in range(1, wh.bins + 1):
                        code = f"{aisle}-{b:02d}"
                        await inventory.create_location(aisle, code, f"{zh} {a}排{b}号货位 bin {a}-{b}")
                        self.bins[(wh.code, zone)].append(code)
                        s.locations += 1
            await inventory.create_location(wh.code, f"{wh.code}-RET", "退货暂存区 returns area")
            s.locations += 1
        for sup in data.SUPPLIERS:
            await partners.create_supplier(
                sup.code, sup.name, sup.contact, data.gs1_number(sup.gln_ref), sup.lead_time_days
            )
            s.suppliers += 1
        for i, c in enumerate(data.CUSTOMERS):
            await partners.create_customer(c.code, c.name, c.contact, data.gs1_number(100 + i))
            s.customers += 1
        for c in data.CUSTOMERS:
            self.assortment[c.code] = self.pick_assortment(c)

    def pick_assortment(self, c: DemoCustomer) -> list[tuple[DemoSku, float]]:
        pool = [
            s for s in data.SKUS if s.category in c.categories and s.category in self.stocked[c.warehouse]
        ]
        chosen = [s for s in pool if s.code in data.STAPLES.get(c.kind, ())]
        rest = [s for s in pool if s not in chosen]
        chosen += self.rng.sample(rest, max(0, min(c.assortment - len(chosen), len(rest))))
        chosen.sort(key=lambda s: self.sku_index[s.code])
        return [(s, s.weekly * c.size * self.rng.uniform(0.6, 1.4)) for s in chosen]

    async def users(self, include_admin: bool) -> None:
        for username, role, supplier in data.USERS:
            if (username == "admin") != include_admin:
                continue
            principal = await partners.create_user(
                username, self.password or secrets.token_urlsafe(18), role, supplier
            )
            if username == "warehouse":
                self.posted_by = principal.user_id
            self.summary.users += 1

    # --- purchasing ------------------------------------------------------------------------------

    def next_delivery(self, d: Delivery, after: date) -> date:
        day = after + timedelta(days=1)
        while not _delivers(d, day, self.first_day):
            day += timedelta(days=1)
        return day

    async def plan_purchase(self, sup: DemoSupplier, delivery: Delivery, day: date) -> list[OrderLineInput]:
        cover = (self.next_delivery(delivery, day) - day).days
        codes = [s.code for s in data.SKUS if s.category in data.SUPPLIER_CATEGORIES[sup.code]]
        stock = await self.usable(delivery.warehouse, codes, day + timedelta(days=1))
        lines = []
        season = math.sin(2 * math.pi * day.timetuple().tm_yday / 365)
        for code in codes:
            sku = self.skus[code]
            rate, peak = self.rate(delivery.warehouse, sku, day + timedelta(days=cover // 2))
            if rate <= 0:
                continue
            shelf = sku.shelf_life_days
            safety = 10 if shelf >= 90 else 3 if shelf >= 30 else 1
            # Never more than sells before it expires: fresh goods run short rather than rot.
            horizon = min(cover + safety, shelf - shelf // 6)
            # A floor of one big order keeps slow movers on the shelf, if they keep long enough.
            floor = peak * (1.1 if shelf >= 14 else 0.9)
            need = Decimal(str(max(rate * horizon * 1.25, floor))) - stock[code]
            factor = self.units[code][sku.purchase_unit]
            if need < factor / 4:
                continue
            qty = (need / factor).to_integral_value(ROUND_CEILING)
            wobble = 1 + 0.05 * season + self.rng.uniform(-0.03, 0.03)
            price = (Decimal(sku.cost) * factor * Decimal(str(wobble))).quantize(CENT)
            lines.append(OrderLineInput(code, qty, unit_price=price))
        return lines

    async def purchase(self, sup: DemoSupplier, delivery: Delivery, day: date) -> None:
        lines = await self.plan_purchase(sup, delivery, day)
        if not lines:
            return
        po = await purchasing.purchase_order_create(
            sup.code, delivery.warehouse, lines, expected_date=day, note=f"{sup.name} 周采购 weekly order"
        )
        ordered_at = _at(day - timedelta(days=max(1, sup.lead_time_days)), 9)
        await purchasing.purchase_order_confirm(po.document_id, ordered_at)
        self.summary.purchase_orders += 1
        order_lines = await PurchaseOrderLine.filter(order_id=po.document_id).order_by("id")
        receipt: list[ReceiptLineInput] = []
        remainder: list[tuple[PurchaseOrderLine, Decimal]] = []
        over = 0
        for ol in order_lines:
            sku = self.skus[self.code_of[ol.sku_id]]
            qty, unit = Decimal(ol.quantity), None
            roll = self.rng.random()
            if roll < 0.06 and qty >= 2:
                got = (qty * Decimal(str(self.rng.uniform(0.5, 0.85)))).to_integral_value(ROUND_FLOOR)
                remainder.append((ol, qty - got))
                qty = got
            elif roll < 0.11 and sku.base_unit == "kg":
                base = qty * Decimal(ol.unit_factor) * Decimal(str(self.rng.uniform(1.005, 1.045)))
                qty, unit = base.quantize(TENTH, ROUND_FLOOR), sku.base_unit
                over += 1
            produced = self.production_date(sku, day)
            receipt.append(
                ReceiptLineInput(
                    ol.id, qty, self.lot_code(produced), self.bin_for(delivery.warehouse, sku), unit, produced
                )
            )
        await self.receive(po.document_id, receipt, day, _at(day, 0, 30))
        self.summary.over_receipts += over
        if remainder:
            self.summary.partial_receipts += 1
            if self.rng.random() < 0.5:
                self.schedule(
                    day + timedelta(days=1),
                    MORNING,
                    lambda: self.receive_rest(
                        po.document_id, delivery.warehouse, remainder, day + timedelta(days=1)
                    ),
                )
            else:
                await purchasing.purchase_order_close(po.document_id)
                self.summary.purchase_orders_closed_short += 1

    async def receive_rest(
        self, order_id: int, warehouse: str, rest: list[tuple[PurchaseOrderLine, Decimal]], day: date
    ) -> None:
        lines = []
        for ol, qty in rest:
            sku = self.skus[self.code_of[ol.sku_id]]
            produced = self.production_date(sku, day)
            lines.append(
                ReceiptLineInput(
                    ol.id, qty, self.lot_code(produced), self.bin_for(warehouse, sku), None, produced
                )
            )
        await self.receive(order_id, lines, day, _at(day, 0, 45))

    def readings(self, zone: str, supplier: str, at: datetime) -> list[SensorReadingInput]:
        """The reefer logger's last hour and a half: temperature every 45 minutes (and humidity when
        chilled); about one delivery in fifty had the door open too long."""
        rng = self.sensor_rng
        device = f"{supplier}-REEFER-{zone}"
        if zone == "FRZ":
            temps = [round(rng.uniform(-22.5, -18.6), 1) for _ in range(3)]
            warm = round(rng.uniform(-16.5, -14.0), 1)
        else:
            temps = [round(rng.uniform(1.0, 3.6), 1) for _ in range(3)]
            warm = round(rng.uniform(5.2, 7.5), 1)
        if rng.random() < 0.02:
            temps[rng.randrange(3)] = warm
        out = [
            SensorReadingInput("temperature", Decimal(str(t)), at - timedelta(minutes=45 * (2 - i)), device)
            for i, t in enumerate(temps)
        ]
        if zone == "CLD":
            out.append(SensorReadingInput("humidity", Decimal(round(rng.uniform(85, 93))), at, device))
        return out

    async def receive(self, order_id: int, lines: list[ReceiptLineInput], day: date, at: datetime) -> None:
        """Posts the delivery; frozen goods travelling with chilled ones come in their own reefer, so
        they are a receipt of their own (each carries its own logger's readings)."""
        ol_rows = await PurchaseOrderLine.filter(id__in=[ln.order_line_id for ln in lines]).values_list(
            "id", "sku_id", "order__supplier__code"
        )
        zone = {i: self.skus[self.code_of[sku_id]].zone for i, sku_id, _ in ol_rows}
        supplier = ol_rows[0][2] if ol_rows else ""
        frozen = [ln for ln in lines if zone[ln.order_line_id] == "FRZ"]
        rest = [ln for ln in lines if zone[ln.order_line_id] != "FRZ"]
        chilled = any(zone[ln.order_line_id] == "CLD" for ln in rest)
        groups = [rest, frozen] if frozen and chilled else [lines]
        for n, group in enumerate(groups):
            zones = {zone[ln.order_line_id] for ln in group}
            cold = "CLD" if "CLD" in zones else "FRZ" if "FRZ" in zones else None
            at_n = at + timedelta(minutes=5 * n)
            readings = self.readings(cold, supplier, at_n) if cold else []
            await self.receive_one(order_id, group, at_n, readings)

    async def receive_one(
        self, order_id: int, lines: list[ReceiptLineInput], at: datetime, readings: list[SensorReadingInput]
    ) -> None:
        gr = await receipts.goods_receipt_post(
            order_id, lines, at, posted_by_id=self.posted_by, sensor_readings=readings
        )
        self.summary.receipts += 1
        if readings:
            self.summary.cold_chain_receipts += 1
            self.summary.cold_chain_alerts += await BatchAlert.filter(
                doc_type="goods_receipt", doc_id=gr.document_id
            ).count()
        # High-risk goods arrive quarantined: the inspection releases them, or they go straight back.
        held = await (
            GoodsReceiptLine.filter(receipt_id=gr.document_id, batch__status="quarantine")
            .order_by("id")
            .values("order_line_id", "batch_id", "location__code", "quantity_base")
        )
        for row in held:
            if self.rng.random() < 0.04:
                await supplier_returns.supplier_return_post(
                    order_id,
                    [
                        ReturnLineInput(
                            row["order_line_id"], row["batch_id"], row["location__code"], row["quantity_base"]
                        )
                    ],
                    at + timedelta(hours=2),
                    reason="来货质检不合格 / failed incoming inspection",
                )
                self.summary.qc_rejected += 1
                self.summary.supplier_returns += 1
            else:
                await inventory.batch_release(row["batch_id"], at + timedelta(hours=1))
                self.summary.qc_released += 1

    # --- sales -----------------------------------------------------------------------------------

    def plan_order(self, c: DemoCustomer, day: date) -> list[OrderLineInput]:
        items = self.assortment[c.code]
        p = min(1.0, c.lines_per_order / len(items))
        markup = Decimal(data.MARKUP[c.kind])
        lines = []
        for sku, weekly in items:
            factor = demand_factor(sku, c, day)
            if factor <= 0 or self.rng.random() >= p:
                continue
            base = weekly * factor / len(c.weekdays) / p * self.rng.uniform(0.7, 1.3)
            unit_factor = self.units[sku.code][sku.sales_unit]
            raw = Decimal(str(base)) / unit_factor
            if sku.sales_unit == "kg":
                qty = max(Decimal("0.5"), (raw * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2)
            else:
                qty = max(Decimal(1), raw.quantize(Decimal(1), ROUND_HALF_UP))
            price = (Decimal(sku.cost) * unit_factor * markup).quantize(CENT)
            lines.append(OrderLineInput(sku.code, qty, unit_price=price))
        return lines

    async def sell(self, c: DemoCustomer, day: date) -> None:
        lines = self.plan_order(c, day)
        if not lines:
            return
        so = await sales.sales_order_create(c.code, c.warehouse, lines, requested_date=day)
        await sales.sales_order_confirm(so.document_id, _at(day, 1))
        self.summary.sales_orders += 1
        order_lines = await SalesOrderLine.filter(order_id=so.document_id).order_by("id")
        shipping = [ShipmentLineInput(ol.id, Decimal(ol.quantity)) for ol in order_lines]
        short = False
        if self.rng.random() < 0.03:  # picked short: the customer takes what is on the truck
            i = self.rng.randrange(len(shipping))
            cut = (shipping[i].quantity * Decimal(str(self.rng.uniform(0.6, 0.9)))).quantize(
                TENTH, ROUND_FLOOR
            )
            if cut > 0 and order_lines[i].unit == "kg":
                shipping[i] = ShipmentLineInput(shipping[i].order_line_id, cut)
                short = True
        at = _at(day, 2, 30)
        for _ in range(len(shipping) + 1):
            try:
                sh = await shipments.shipment_post(so.document_id, shipping, at, posted_by_id=self.posted_by)
                break
            except InsufficientStock as exc:
                self.summary.short_lines += 1
                log.debug("short on %s at %s: %s", day, c.warehouse, exc.message)
                short = True
                if len(exc.path) < 2 or exc.path[0] != "lines":
                    raise
                i = int(exc.path[1])
                have = exc.shortages[0].available.quantize(QTY, ROUND_FLOOR)
                base_unit = self.skus[self.code_of[order_lines[i].sku_id]].base_unit
                if have > 0:
                    shipping[i] = ShipmentLineInput(shipping[i].order_line_id, have, unit=base_unit)
                else:
                    shipping.pop(i)
                    order_lines.pop(i)
                if not shipping:
                    break
        else:  # pragma: no cover - each retry removes or cuts one line
            raise AssertionError("shipment retries exhausted")
        if not shipping:
            await sales.sales_order_cancel(so.document_id)
            self.summary.cancelled_orders += 1
            return
        self.summary.shipments += 1
        if short:
            await sales.sales_order_close(so.document_id)
            self.summary.partial_shipments += 1
        if self.rng.random() < 0.012:
            back = day + timedelta(days=self.rng.randint(1, 2))
            self.schedule(
                back, AFTERNOON, lambda: self.customer_return(so.document_id, sh.document_id, c, back)
            )

    async def customer_return(self, order_id: int, shipment_id: int, c: DemoCustomer, day: date) -> None:
        rows = (
            await ShipmentLine.filter(shipment_id=shipment_id)
            .order_by("id")
            .values("order_line_id", "batch_id", "quantity_base", "order_line__sku_id")
        )
        row = self.rng.choice(rows)
        sku = self.skus[self.code_of[row["order_line__sku_id"]]]
        shipped = Decimal(row["quantity_base"])
        qty = shipped * Decimal(str(self.rng.uniform(0.1, 0.4)))
        qty = qty.quantize(TENTH if sku.base_unit == "kg" else Decimal(1), ROUND_HALF_UP)
        qty = min(shipped, max(qty, TENTH if sku.base_unit == "kg" else Decimal(1)))
        location = f"{c.warehouse}-RET"
        await customer_returns.customer_return_post(
            order_id,
            [CustomerReturnLineInput(row["order_line_id"], row["batch_id"], location, qty)],
            _at(day, 6),
            reason=self.rng.choice(data.CUSTOMER_RETURN_REASONS),
        )
        self.summary.customer_returns += 1
        # Most complaints go back to the supplier; the rest wait in quarantine for a quality decision.
        if self.rng.random() < 0.67:
            later = day + timedelta(days=2)
            self.schedule(later, AFTERNOON, lambda: self.pass_back(row["batch_id"], location, qty, c, later))

    async def pass_back(self, batch_id: int, location: str, qty: Decimal, c: DemoCustomer, day: date) -> None:
        gr = (
            await GoodsReceiptLine.filter(
                batch_id=batch_id, receipt__warehouse_id=self.warehouse_ids[c.warehouse]
            )
            .order_by("id")
            .values("order_line_id", "receipt__order_id")
        )
        if not gr:  # came by transfer: its purchase order belongs to another warehouse
            return
        await supplier_returns.supplier_return_post(
            gr[0]["receipt__order_id"],
            [ReturnLineInput(gr[0]["order_line_id"], batch_id, location, qty)],
            _at(day, 7),
            reason=f"客户退货转退供应商 / customer return passed back ({c.name})",
        )
        self.summary.supplier_returns += 1

    # --- transfers and counts --------------------------------------------------------------------

    async def transfer(self, route: data.TransferRoute, day: date) -> None:
        codes = [s.code for s in data.SKUS if s.category in route.categories]
        cover = 7 * route.every_weeks + 3
        stock = await self.usable(route.target, codes, day + timedelta(days=cover // 2))
        lines: list[transfers.TransferLineInput] = []
        for code in codes:
            sku = self.skus[code]
            rate, peak = self.rate(route.target, sku, day + timedelta(days=cover // 2))
            need = Decimal(str(max(rate * cover * 1.2, peak * 1.2))) - stock[code]
            factor = self.units[code][sku.purchase_unit]
            if need > factor / 4:
                lines.append(
                    transfers.TransferLineInput(
                        code, (need / factor).to_integral_value(ROUND_CEILING) * factor
                    )
                )
        posted = None
        while lines:
            try:
                posted = await transfers.transfer_ship(route.source, route.target, lines, day, _at(day, 8))
                break
            except InsufficientStock as exc:
                i = int(exc.path[1])
                have = exc.shortages[0].available.to_integral_value(ROUND_FLOOR)
                if have > 0:
                    lines[i] = transfers.TransferLineInput(lines[i].sku_code, have)
                else:
                    lines.pop(i)
        if posted is None:
            return
        self.summary.transfers += 1
        into = self.bin_for(route.target, self.skus[lines[0].sku_code])
        tid = posted.document_id
        self.schedule(
            day + timedelta(days=1),
            MORNING,
            lambda: self._receive_transfer(tid, into, _at(day + timedelta(days=1), 0, 50)),
        )

    async def _receive_transfer(self, transfer_id: int, location: str, at: datetime) -> None:
        await transfers.transfer_receive(transfer_id, location, at)

    async def count(self, warehouse: str, day: date) -> None:
        codes = [b for (wh, _), bins in self.bins.items() if wh == warehouse for b in bins]
        started = await stock_counts.stock_count_start(warehouse, codes)
        snapshot = (
            await StockCountLine.filter(count_id=started.document_id)
            .order_by("id")
            .values("location__code", "batch_id", "expected", "batch__expiry_date", "batch__sku_id")
        )
        counted = []
        for row in snapshot:
            expected = Decimal(row["expected"])
            if expected <= 0:
                continue  # the sheet also lists emptied lots: nothing on the shelf, nothing to count
            qty = expected
            expiry = row["batch__expiry_date"]
            if expiry is not None and expiry < day:
                qty = Decimal(0)  # 报损: expired goods are taken off the shelf and written off
                self.summary.expired_written_off += 1
            elif self.rng.random() < 0.05:
                kg = self.skus[self.code_of[row["batch__sku_id"]]].base_unit == "kg"
                if kg:
                    qty = (expected * Decimal(str(self.rng.uniform(0.97, 1.005)))).quantize(
                        TENTH, ROUND_HALF_UP
                    )
                else:
                    qty = expected + self.rng.choice((-2, -1, -1, 1))
                qty = max(qty, Decimal(0))
                if qty != expected:
                    self.summary.count_differences += 1
            counted.append(stock_counts.CountedLine(row["location__code"], row["batch_id"], qty))
        await stock_counts.stock_count_post(started.document_id, counted, _at(day, 12, 30))
        self.summary.stock_counts += 1
        self.summary.count_lines += len(counted)

    # --- the year --------------------------------------------------------------------------------

    async def day(self, day: date) -> None:
        for _, job in [j for j in self.agenda.get(day, []) if j[0] == MORNING]:
            await job()
        # A warehouse's first day stocks it from every supplier; its customers start the day after.
        for sup in data.SUPPLIERS:
            for delivery in sup.deliveries:
                opens = self.opens[delivery.warehouse]
                if day == opens or (day > opens and _delivers(delivery, day, self.first_day)):
                    await self.purchase(sup, delivery, day)
        for route in data.TRANSFER_ROUTES:
            opens = max(self.opens[route.source], self.opens[route.target])
            regular = _delivers(
                Delivery(route.target, (route.weekday,), route.every_weeks), day, self.first_day
            )
            if day == opens or (day > opens and regular):
                await self.transfer(route, day)
        for c in data.CUSTOMERS:
            if day > self.opens[c.warehouse] and day.weekday() in c.weekdays:
                await self.sell(c, day)
        for _, job in [j for j in self.agenda.pop(day, []) if j[0] == AFTERNOON]:
            await job()
        if (day + timedelta(days=1)).month != day.month:
            for wh in data.WAREHOUSES:
                if day >= self.opens[wh.code]:
                    await self.count(wh.code, day)

    async def open_documents(self) -> None:
        """What a Monday morning looks like: orders on their way in, customers' orders waiting to ship."""
        today = self.now.date()
        for sup in data.SUPPLIERS:
            for delivery in sup.deliveries:
                due = self.next_delivery(delivery, self.last_day)
                if delivery.warehouse != "SH-DC" or (due - today).days > 3:
                    continue
                lines = await self.plan_purchase(sup, delivery, due)
                if not lines:
                    continue
                po = await purchasing.purchase_order_create(
                    sup.code, delivery.warehouse, lines, expected_date=due
                )
                if sup.code != "SUP-DRY":  # one stays a draft, waiting for the buyer
                    await purchasing.purchase_order_confirm(po.document_id, self.now)
                self.summary.open_purchase_orders += 1
        tomorrow = today + timedelta(days=1)
        for i, c in enumerate(data.CUSTOMERS):
            if tomorrow.weekday() not in c.weekdays:
                continue
            lines = self.plan_order(c, tomorrow)
            if not lines:
                continue
            so = await sales.sales_order_create(c.code, c.warehouse, lines, requested_date=tomorrow)
            if i % 3:  # some are confirmed (stock reserved), some still drafts
                await sales.sales_order_confirm(so.document_id, self.now)
            self.summary.open_sales_orders += 1

    async def run(self) -> None:
        started = clock.perf_counter()
        async with _fast_sqlite():
            await self._run()
        self.summary.seconds = round(clock.perf_counter() - started, 2)
        log.info("%s", self.summary)

    async def _run(self) -> None:
        total = (self.last_day - self.first_day).days + 3  # master data, each of the days, open documents
        self.progress(0, total, "主数据 master data")
        await self.master_data()
        await self.users(include_admin=False)
        self.progress(1, total, "主数据 master data")
        day = self.first_day
        while day <= self.last_day:
            await self.day(day)
            self.progress((day - self.first_day).days + 2, total, day.isoformat())
            day += timedelta(days=1)
        await self.open_documents()
        await self.users(include_admin=True)  # last: the CLI takes the admin's presence to mean "seeded"
        self.progress(total, total, "完成 done")


@asynccontextmanager
async def _fast_sqlite() -> AsyncIterator[None]:
    """On SQLite (WAL), commits skip the fsync while seeding: consistency is kept, and a power cut can only
    lose the last postings of a run that would be redone anyway. Restored afterwards."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect != "sqlite":
        yield
        return
    _, rows = await conn.execute_query("PRAGMA synchronous")
    before = int(rows[0][0]) if rows else 2
    await conn.execute_script("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        await conn.execute_script(f"PRAGMA synchronous={before}")
