"""Low-code configuration (issue 17): a partner mapping's dry run, and custom-field filters on PostgreSQL.

    python -m bench.bench_lowcode --skus 20000 --runs 20

Mappings: ``domain.mappings.rules.apply`` on GS1's EPCIS example (an ASN) and the Ele.me push (an order),
in process. Filters: a fresh database with ``--skus`` SKUs, each with a boolean and a decimal custom value;
a first page of 100 of ``skus`` filtered by the boolean (half match), by a decimal range (a tenth match),
and unfiltered, each through the custom filter service and ``api.relay.paginate`` as the query does; then
sorted by the decimal (``customSort``), the first page and page 50 by its keyset cursor.
"""

import argparse
import asyncio
import json
import statistics
import time
from decimal import Decimal
from pathlib import Path

from tortoise.context import TortoiseContext

from api import relay as rl
from bench.harness import fresh_database
from domain.catalog.models import Sku
from domain.customfields import rules as field_rules
from domain.customfields import services as custom_fields
from domain.customfields import sorting
from domain.mappings import rules as mapping_rules
from lotline.cli import run_migrations
from lotline.config import Settings
from lotline.db import tortoise_config
from tests.unit.mappings.test_rules import ASN_SPEC, ORDER_SPEC

EPCIS = json.loads(Path("/work/shared/epcis/examples/object_event_all_possible_fields.jsonld").read_text())
ELEME = json.loads(Path("/work/shared/fixtures/eleme/sample_push_type10.json").read_text())


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, max {ordered[-1] * 1000:.2f} ms"


def bench_mappings(runs: int) -> None:
    for name, spec, payload in (("EPCIS -> ASN", ASN_SPEC, EPCIS), ("Ele.me -> order", ORDER_SPEC, ELEME)):
        samples = []
        for _ in range(runs * 50):
            started = time.perf_counter()
            mapping_rules.apply(spec, payload)
            samples.append(time.perf_counter() - started)
        print(f"dry run (pure) {name}: {_ms(samples)} over {len(samples)} runs")


async def bench_filters(skus: int, runs: int) -> None:
    async with fresh_database() as url:
        settings = Settings(database_url=url)
        await run_migrations(settings)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            for field in (
                field_rules.FieldDef("taxExempt", field_rules.Kind.BOOLEAN, "免税", "Tax-exempt"),
                field_rules.FieldDef("declared", field_rules.Kind.DECIMAL, "申报", "Declared", places=2),
            ):
                await custom_fields.definition_save(field_rules.Entity.SKU, field)
            rows = [
                Sku(
                    code=f"B{i:07d}",
                    name_zh="测试",
                    name_en="bench",
                    base_unit="kg",
                    purchase_unit="kg",
                    sales_unit="kg",
                    custom={"taxExempt": i % 2 == 0, "declared": str(Decimal(i % 1000) / 10)},
                )
                for i in range(skus)
            ]
            await Sku.bulk_create(rows, batch_size=2000)
            cases = {
                "unfiltered": None,
                "boolean eq (1/2 match)": [custom_fields.Filter("taxExempt", "eq", True)],
                "decimal >= 90 (1/10 match)": [custom_fields.Filter("declared", "gte", "90")],
            }
            print(f"{skus} SKUs, first page of 100, {runs} runs each")
            for label, filters in cases.items():
                samples = []
                for _ in range(runs):
                    started = time.perf_counter()
                    query = await custom_fields.filtered(Sku.all(), field_rules.Entity.SKU, filters)
                    page = await rl.paginate(query, 100, None, lambda r: r.id)
                    assert len(page.edges) == 100
                    samples.append(time.perf_counter() - started)
                print(f"  {label}: {_ms(samples)}")
            await bench_sorted(runs)


async def bench_sorted(runs: int) -> None:
    """``customSort`` on the decimal: the first page, and page 50 reached by its keyset cursor."""
    by = sorting.Sort("declared")
    rows = await sorting.sorted_page(Sku.all(), field_rules.Entity.SKU, by, None, 100 * 49)
    deep = sorting.Position(rows[-1][1], rows[-1][0].id)
    for label, after in (("sorted by decimal, first page", None), ("sorted by decimal, page 50", deep)):
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            page = await sorting.sorted_page(Sku.all(), field_rules.Entity.SKU, by, after, 101)
            assert len(page) == 101
            samples.append(time.perf_counter() - started)
        print(f"  {label}: {_ms(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    bench_mappings(args.runs)
    asyncio.run(bench_filters(args.skus, args.runs))


if __name__ == "__main__":
    main()
