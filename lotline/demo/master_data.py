"""Master data of the demo: categories, SKUs, warehouses with their location trees, suppliers, customers
(and the assortment each buys), and the users.
"""

import secrets
from decimal import Decimal

from domain.catalog import services as catalog
from domain.catalog.rules import UnitDef
from domain.inventory import services as inventory
from domain.partners import services as partners
from lotline.demo import catalog_data as data
from lotline.demo.catalog_data import DemoCustomer, DemoSku
from lotline.demo.state import SeedState


def _limit(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


class MasterDataSeeder(SeedState):
    """Creates the catalogue, warehouses, partners and users through the services."""

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
