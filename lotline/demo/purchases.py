"""A year of purchasing in the demo: weekly orders sized to cover demand until the next delivery, receipts
(short, over within tolerance, the rest a day later or closed short), the reefer logger's readings on
chilled and frozen deliveries, and the incoming inspection of high-risk goods (released or sent back).
"""

import math
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from domain.catalog.services import OrderLineInput
from domain.inventory import services as inventory
from domain.purchasing import receipts
from domain.purchasing import returns as supplier_returns
from domain.purchasing import services as purchasing
from domain.purchasing.models import GoodsReceiptLine, PurchaseOrderLine
from domain.purchasing.receipts import ReceiptLineInput
from domain.purchasing.returns import ReturnLineInput
from domain.quality.models import BatchAlert
from domain.quality.rules import SensorReadingInput
from lotline.demo import catalog_data as data
from lotline.demo.catalog_data import Delivery, DemoSupplier
from lotline.demo.state import CENT, MORNING, TENTH, SeedState, at_hour, delivers


class PurchasingSeeder(SeedState):
    """Orders, receives and inspects what the warehouses need."""

    def next_delivery(self, d: Delivery, after: date) -> date:
        day = after + timedelta(days=1)
        while not delivers(d, day, self.first_day):
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
        ordered_at = at_hour(day - timedelta(days=max(1, sup.lead_time_days)), 9)
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
        await self.receive(po.document_id, receipt, day, at_hour(day, 0, 30))
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
        await self.receive(order_id, lines, day, at_hour(day, 0, 45))

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
