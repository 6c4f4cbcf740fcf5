"""A year of selling in the demo: customers' orders by their assortment and the demand model, shipments cut
to what is on the shelf (or cancelled), a few customer returns, most of them passed back to the supplier.
"""

import logging
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from domain.catalog.services import OrderLineInput
from domain.common.errors import InsufficientStock
from domain.purchasing import returns as supplier_returns
from domain.purchasing.models import GoodsReceiptLine
from domain.purchasing.returns import ReturnLineInput
from domain.sales import returns as customer_returns
from domain.sales import services as sales
from domain.sales import shipments
from domain.sales.models import SalesOrderLine, ShipmentLine
from domain.sales.returns import CustomerReturnLineInput
from domain.sales.shipments import ShipmentLineInput
from lotline.demo import catalog_data as data
from lotline.demo.catalog_data import DemoCustomer
from lotline.demo.state import AFTERNOON, CENT, QTY, TENTH, SeedState, at_hour, demand_factor

log = logging.getLogger(__name__)


class SalesSeeder(SeedState):
    """Takes orders, ships them and handles the returns."""

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
        await sales.sales_order_confirm(so.document_id, at_hour(day, 1))
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
        at = at_hour(day, 2, 30)
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
            at_hour(day, 6),
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
            at_hour(day, 7),
            reason=f"客户退货转退供应商 / customer return passed back ({c.name})",
        )
        self.summary.supplier_returns += 1
