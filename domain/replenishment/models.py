"""Replenishment models: promotions, supplier prices, weather, forecast runs, suggestions (补货建议单).

Quantities are base units (Decimal, 4 places); money per base unit (Decimal, 4 places); weeks are identified
by their Monday (``week_start``) in the business time zone, as ISO 8601 weeks.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.catalog.models import Category, Sku
    from domain.inventory.models import Warehouse
    from domain.partners.models import Supplier, User


class Promotion(Model):
    # A price promotion on one SKU or a whole category, inclusive dates in the business time zone.
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    sku: fields.ForeignKeyNullableRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="promotions", null=True, on_delete=fields.RESTRICT
    )
    sku_id: int | None
    category: fields.ForeignKeyNullableRelation["Category"] = fields.ForeignKeyField(
        "lotline.Category", related_name="promotions", null=True, on_delete=fields.RESTRICT
    )
    category_id: int | None
    starts_on = fields.DateField(db_index=True)
    ends_on = fields.DateField()
    discount = fields.DecimalField(max_digits=5, decimal_places=4)  # fraction off the list price, 0 < d < 1
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "promotion"


class SupplierPrice(Model):
    # One line of a supplier's price list for a SKU: valid on [valid_from, valid_to] (open end: null).
    id = fields.IntField(primary_key=True)
    supplier: fields.ForeignKeyRelation["Supplier"] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="prices", on_delete=fields.RESTRICT
    )
    supplier_id: int
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="supplier_prices", on_delete=fields.RESTRICT
    )
    sku_id: int
    unit_price = fields.DecimalField(max_digits=20, decimal_places=4)  # per base unit, before tax
    currency = fields.CharField(max_length=3, default="CNY")
    min_quantity = fields.DecimalField(max_digits=18, decimal_places=4, default=0)  # MOQ, base units
    pack_size = fields.DecimalField(max_digits=18, decimal_places=4, default=1)  # orders are multiples
    capacity_per_week = fields.DecimalField(max_digits=18, decimal_places=4, null=True)  # null: unlimited
    lead_time_days = fields.IntField(null=True)  # null: the supplier's
    valid_from = fields.DateField()
    valid_to = fields.DateField(null=True)

    class Meta:
        table = "supplier_price"
        indexes = (("sku_id", "valid_from"),)


class SupplierPriceBreak(Model):
    # A quantity break of a price list line: from min_quantity (base units) on, this unit price applies.
    id = fields.IntField(primary_key=True)
    price: fields.ForeignKeyRelation[SupplierPrice] = fields.ForeignKeyField(
        "lotline.SupplierPrice", related_name="breaks", on_delete=fields.CASCADE
    )
    price_id: int
    min_quantity = fields.DecimalField(max_digits=18, decimal_places=4)
    unit_price = fields.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        table = "supplier_price_break"
        unique_together = (("price", "min_quantity"),)


class WeatherIndex(Model):
    # A weekly weather index per region (1 = normal for the season), imported through a provider.
    id = fields.IntField(primary_key=True)
    region = fields.CharField(max_length=32)
    week_start = fields.DateField()
    value = fields.DecimalField(max_digits=8, decimal_places=4)
    source = fields.CharField(max_length=64, default="")

    class Meta:
        table = "weather_index"
        unique_together = (("region", "week_start"),)


class WarehouseProfile(Model):
    # Replenishment settings of one warehouse or store: its weather region, review period, service level.
    warehouse: fields.OneToOneRelation["Warehouse"] = fields.OneToOneField(
        "lotline.Warehouse", related_name="replenishment_profile", primary_key=True, on_delete=fields.CASCADE
    )
    warehouse_id: int
    region = fields.CharField(max_length=32, default="")
    review_period_days = fields.IntField(default=7)
    service_level = fields.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.95"))

    class Meta:
        table = "warehouse_profile"


class StoreAssignment(Model):
    # The stores (warehouses) a store manager answers for: the scope of its replenishment suggestions.
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "lotline.User", related_name="store_assignments", on_delete=fields.CASCADE
    )
    user_id: int
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="store_assignments", on_delete=fields.CASCADE
    )
    warehouse_id: int

    class Meta:
        table = "store_assignment"
        unique_together = (("user", "warehouse"),)


class ForecastRun(Model):
    # One forecasting job: what it fitted on, with which models and versions, and how well they backtested.
    id = fields.IntField(primary_key=True)
    status = fields.CharField(max_length=16, default="queued", db_index=True)
    as_of = fields.DateField()  # first forecast week's Monday; history ends the week before
    horizon_weeks = fields.IntField()
    window_start = fields.DateField()
    window_end = fields.DateField()
    parameters: dict[str, Any] = fields.JSONField(default=dict)  # models, seeds, quantiles, backtest folds
    versions: dict[str, Any] = fields.JSONField(default=dict)  # darts, statsforecast, lightgbm, lotline
    metrics: dict[str, Any] = fields.JSONField(default=dict)  # per model: WAPE, MASE, bias over all series
    shards_total = fields.IntField(default=0)
    shards_done = fields.IntField(default=0)
    shards_failed = fields.IntField(default=0)
    series_total = fields.IntField(default=0)
    error = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "forecast_run"


class Forecast(Model):
    # One week's forecast of one SKU × warehouse series by the model its backtest chose.
    id = fields.BigIntField(primary_key=True)
    run: fields.ForeignKeyRelation[ForecastRun] = fields.ForeignKeyField(
        "lotline.ForecastRun", related_name="forecasts", on_delete=fields.CASCADE
    )
    run_id: int
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="forecasts", on_delete=fields.RESTRICT
    )
    sku_id: int
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="forecasts", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    week_start = fields.DateField()
    p50 = fields.DecimalField(max_digits=18, decimal_places=4)
    p90 = fields.DecimalField(max_digits=18, decimal_places=4)
    model = fields.CharField(max_length=32)
    backtest_wape = fields.DecimalField(max_digits=10, decimal_places=4, null=True)

    class Meta:
        table = "forecast"
        unique_together = (("run", "sku", "warehouse", "week_start"),)


class Suggestion(Model):
    # A suggested order line (补货建议单), one per SKU × warehouse × period: a later run updates it.
    id = fields.IntField(primary_key=True)
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="suggestions", on_delete=fields.RESTRICT
    )
    sku_id: int
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="suggestions", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    period_start = fields.DateField()  # Monday of the review week
    supplier: fields.ForeignKeyNullableRelation["Supplier"] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="suggestions", null=True, on_delete=fields.RESTRICT
    )
    supplier_id: int | None
    status = fields.CharField(max_length=16, default="draft", db_index=True)
    suggested_quantity = fields.DecimalField(max_digits=18, decimal_places=4)
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # what the buyer will order (editable)
    unit_price = fields.DecimalField(max_digits=20, decimal_places=4, null=True)
    explanation: dict[str, Any] = fields.JSONField(default=dict)
    forecast_run: fields.ForeignKeyNullableRelation[ForecastRun] = fields.ForeignKeyField(
        "lotline.ForecastRun", related_name="suggestions", null=True, on_delete=fields.SET_NULL
    )
    forecast_run_id: int | None
    purchase_order_id = fields.IntField(null=True)
    decided_by_id = fields.IntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "replenishment_suggestion"
        unique_together = (("sku", "warehouse", "period_start"),)
