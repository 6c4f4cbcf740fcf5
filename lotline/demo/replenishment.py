"""The demo's replenishment (issue 12): promotions in the calendar, price lists, weather, a forecast run and
this week's suggestions (补货建议单), so GraphQL shows forecasts, backtest metrics and suggestions at once.

Promotions: 618 and 双11 on fruit-like categories, a Spring Festival gift week, each in the demo's dates.
Price lists: every SKU from its demo supplier at its demo cost (no MOQ, pack size 1), valid from the first
demo day. Weather: a seasonal index
for region "east" (Shanghai, Hangzhou, Suzhou), imported through the file provider as JSON. The store
manager answers for the Suzhou front warehouse. The forecast run uses the fast candidates (seasonal naive,
Croston TSB, LightGBM) to keep the seed short, in-process; it is skipped for a history under 12 weeks.
"""

import json
import logging
import math
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from domain.catalog.models import Category
from domain.partners.models import Supplier, User
from domain.replenishment import forecast_runs, promotions, suggestions, weather, weeks
from domain.replenishment.models import StoreAssignment, SupplierPrice, WarehouseProfile
from lotline.demo import catalog_data as data
from lotline.demo.state import SeedState

FAST_MODELS = ("seasonal_naive", "croston_tsb", "lightgbm")
REGION = "east"
log = logging.getLogger(__name__)


async def seed_replenishment(s: SeedState) -> None:
    started = time.perf_counter()
    await _promotions(s)
    await _profiles_and_weather(s)
    await _price_lists(s)
    manager = await User.get_or_none(username="store_manager")
    if manager is not None and "SZ" in s.warehouse_ids:
        await StoreAssignment.get_or_create(user_id=manager.id, warehouse_id=s.warehouse_ids["SZ"])
    today = s.last_day + timedelta(days=1)
    history = (weeks.week_start(today) - weeks.week_start(s.first_day)).days // 7
    if history >= 12:
        run = await forecast_runs.forecast_run_create(
            today, horizon_weeks=8, history_weeks=history, shard_skus=20, folds=4, models=FAST_MODELS
        )
        for shard in range(run.shards_total):
            await forecast_runs.forecast_shard(run.id, shard, datetime.now(UTC))
    for warehouse_id in s.warehouse_ids.values():
        await suggestions.suggestions_generate(warehouse_id, today)
    log.info("demo replenishment in %.1f s", time.perf_counter() - started)


async def _promotions(s: SeedState) -> None:
    categories = [c.code for c in await Category.all().order_by("id")]
    plans = []
    for year in range(s.first_day.year, s.last_day.year + 2):
        plans += [
            ("618 年中大促 / mid-year sale", f"{year}-06-01", f"{year}-06-18", "0.15"),
            ("双11 / Singles' Day", f"{year}-11-01", f"{year}-11-11", "0.20"),
        ]
    for i, (name, start, end, discount) in enumerate(plans):
        starts, ends = datetime.fromisoformat(start).date(), datetime.fromisoformat(end).date()
        if ends < s.first_day or starts > s.last_day + timedelta(weeks=8) or not categories:
            continue
        await promotions.promotion_create(
            promotions.PromotionInput(
                name, starts, ends, Decimal(discount), None, categories[i % len(categories)]
            )
        )


async def _profiles_and_weather(s: SeedState) -> None:
    for warehouse_id in s.warehouse_ids.values():
        await WarehouseProfile.get_or_create(warehouse_id=warehouse_id, defaults={"region": REGION})
    rng = s.rng_for("replenishment")
    monday = weeks.week_start(s.first_day)
    rows = []
    while monday <= s.last_day + timedelta(weeks=8):
        season = 1 + 0.15 * math.sin(2 * math.pi * (monday.timetuple().tm_yday - 100) / 365)
        rows.append(
            {
                "region": REGION,
                "week_start": monday.isoformat(),
                "value": round(season + rng.gauss(0, 0.05), 4),
            }
        )
        monday += timedelta(weeks=1)
    await weather.weather_import(weather.FileWeatherProvider(json.dumps(rows), "json", "demo-weather.json"))


async def _price_lists(s: SeedState) -> None:
    suppliers = {sup.code: sup.id for sup in await Supplier.all()}
    for sku in data.SKUS:
        if sku.code not in s.sku_ids or sku.supplier not in suppliers:
            continue
        await SupplierPrice.get_or_create(
            supplier_id=suppliers[sku.supplier],
            sku_id=s.sku_ids[sku.code],
            defaults={"unit_price": Decimal(sku.cost), "valid_from": s.first_day},
        )
