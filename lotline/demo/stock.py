"""Stock keeping in the demo: transfers from the main warehouse to the others (shipped one day, received the
next) and month-end counts, where expired lots are written off and a few bins differ from the books.
"""

from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from domain.common.errors import InsufficientStock
from domain.inventory import counts as stock_counts
from domain.inventory import transfers
from domain.inventory.models import StockCountLine
from lotline.demo import catalog_data as data
from lotline.demo.state import MORNING, TENTH, SeedState, at_hour


class StockSeeder(SeedState):
    """Transfers between warehouses and counts at month end."""

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
                posted = await transfers.transfer_ship(
                    route.source, route.target, lines, day, at_hour(day, 8)
                )
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
            lambda: self._receive_transfer(tid, into, at_hour(day + timedelta(days=1), 0, 50)),
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
        await stock_counts.stock_count_post(started.document_id, counted, at_hour(day, 12, 30))
        self.summary.stock_counts += 1
        self.summary.count_lines += len(counted)
