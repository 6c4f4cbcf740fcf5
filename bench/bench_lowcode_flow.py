"""Issue 17 (approvals, saved reports): what rules and reports cost.

    python -m bench.bench_lowcode_flow --skus 2000 --orders 200

1. Pure rule evaluation: ``required_steps`` over 20 JSON Logic rules (amount tiers, terms, supplier lists)
   for 10,000 documents' facts.
2. Purchase-order confirmation on PostgreSQL with no approval rule, then with 20 active rules none of which
   holds the orders (facts read, rules evaluated, the order confirmed): the gate's overhead per confirm.
3. The near-expiry-by-supplier report (``expiry`` fact, 30 days, by supplier, SKU and date) over the
   stock-page data set (SKUs × 3 warehouses × 5 lots, suppliers spread over the lots), run and exported.
"""

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
from tortoise.context import TortoiseContext

from bench import stock_dataset
from bench.harness import fresh_database
from domain.approvals import rule_admin, rules
from domain.approvals.rule_admin import RuleInput
from domain.approvals.rules import DocumentType, Level, Rule
from domain.catalog.services import OrderLineInput
from domain.common import business_time
from domain.inventory import services as inventory
from domain.inventory.models import Location, Warehouse
from domain.partners import services as partners
from domain.purchasing import services as purchasing
from domain.reports import services as reports
from domain.reports.rules import Filter, Op, ReportSpec
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config


def _rules() -> list[Rule]:
    out = []
    for i in range(20):
        condition = {
            "and": [
                {">": [{"var": "payment_terms_days"}, 60 + i]},
                {"in": [{"var": "supplier_code"}, [f"SUP-{j}" for j in range(i, i + 10)]]},
            ]
        }
        levels = (Level("finance"), Level("admin", None, Decimal(10_000 * (i + 1))))
        out.append(Rule(i + 1, f"r{i}", DocumentType.PURCHASE_ORDER, condition, levels))
    return out


def bench_pure(n: int) -> None:
    rng = random.Random(17)
    facts = [
        {
            "amount": Decimal(rng.randint(1, 10_000_000)) / 100,
            "payment_terms_days": rng.choice([None, 30, 60, 90, 120]),
            "supplier_code": f"SUP-{rng.randint(0, 40)}",
        }
        for _ in range(n)
    ]
    active = _rules()
    started = time.perf_counter()
    held = sum(1 for f in facts if rules.required_steps(active, f))
    seconds = time.perf_counter() - started
    print(f"pure: {n} documents × 20 rules in {seconds:.2f} s ({n / seconds:,.0f} documents/s), {held} held")


async def bench_confirm(orders: int, sku: str, supplier: str, warehouse: str) -> None:
    for label in ("no rule", "20 rules, none holding"):
        if label.startswith("20"):
            for i in range(20):
                condition = {
                    "and": [{">": [{"var": "payment_terms_days"}, 3000]}, {">": [{"var": "amount"}, i]}]
                }
                await rule_admin.rule_create(
                    RuleInput(f"bench {i}", "purchase_order", condition, (Level("finance"),)),
                    None,
                    datetime.now(UTC),
                )
        ids = [
            (
                await purchasing.purchase_order_create(
                    supplier, warehouse, [OrderLineInput(sku, Decimal(2), None, Decimal("3.50"))]
                )
            ).document_id
            for _ in range(orders)
        ]
        started = time.perf_counter()
        for order_id in ids:
            await purchasing.purchase_order_confirm(order_id, datetime.now(UTC))
        ms = (time.perf_counter() - started) / orders * 1000
        print(f"confirm, {label}: {ms:.2f} ms per order ({orders} orders, one at a time)")


async def _spread_suppliers(url: str, suppliers: list[int]) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "UPDATE batch SET supplier_id = ($1::int[])[1 + id % $2]", suppliers, len(suppliers)
        )
    finally:
        await conn.close()


async def bench_report(url: str, skus: int, suppliers: list[int]) -> None:
    await _spread_suppliers(url, suppliers)
    spec = ReportSpec(
        "expiry",
        ("supplier_code", "sku_code", "expiry_date"),
        ("quantity", "lots"),
        (Filter("expiry_date", Op.WITHIN_DAYS, ("10",)),),
        sort="expiry_date",
        limit=10_000,
    )
    caller = reports.Caller(1, "admin", None)
    for label in ("first run", "second run"):
        started = time.perf_counter()
        result = await reports.report_run(spec, caller, business_time.business_today(datetime.now(UTC)))
        print(
            f"near-expiry report, {label}: {time.perf_counter() - started:.3f} s, {len(result.rows)} rows "
            f"over {skus * 15} lots"
        )
    for fmt in ("csv", "xlsx", "svg"):
        started = time.perf_counter()
        content = reports.report_export("near expiry", result, fmt)
        print(f"export {fmt}: {time.perf_counter() - started:.3f} s, {len(content):,} bytes")


async def main(skus: int, orders: int, documents: int) -> None:
    bench_pure(documents)
    async with fresh_database() as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            for code in ("W1", "W2", "W3"):
                await inventory.create_warehouse(code, f"Lowcode bench warehouse {code}")
            whs = [
                (w.id, (await Location.get(code=w.code)).id)
                for w in await Warehouse.filter(code__in=["W1", "W2", "W3"])
            ]
            await stock_dataset.load(url, skus, whs, 5)
            supplier_refs = [await partners.create_supplier(f"SUP-{i}", f"供应商 {i}") for i in range(6)]
            conn = await asyncpg.connect(url)
            sku = await conn.fetchval("SELECT code FROM sku ORDER BY id LIMIT 1")
            await conn.close()
            await bench_confirm(orders, sku, supplier_refs[0].code, "W1")
            await bench_report(url, skus, [s.id for s in supplier_refs])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--documents", type=int, default=10_000)
    args = parser.parse_args()
    asyncio.run(main(args.skus, args.orders, args.documents))
