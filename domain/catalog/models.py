"""SKUs and their units."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Category(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name_zh = fields.CharField(max_length=128)
    name_en = fields.CharField(max_length=128)

    class Meta:
        table = "category"


class Sku(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    name_zh = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200)
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "lotline.Category", related_name="skus", null=True, on_delete=fields.RESTRICT
    )
    category_id: int | None
    base_unit = fields.CharField(max_length=16)
    purchase_unit = fields.CharField(max_length=16)
    sales_unit = fields.CharField(max_length=16)
    gtin = fields.CharField(max_length=14, null=True, unique=True)
    shelf_life_days = fields.IntField(null=True)
    best_before_days = fields.IntField(null=True)
    tax_rate = fields.DecimalField(max_digits=6, decimal_places=4, default=0)
    tax_exempt = fields.BooleanField(default=False)
    high_risk = fields.BooleanField(default=False)
    # Allowed storage conditions (cold chain); a sensor reading outside them raises a batch alert.
    temperature_min = fields.DecimalField(max_digits=7, decimal_places=2, null=True)  # °C
    temperature_max = fields.DecimalField(max_digits=7, decimal_places=2, null=True)  # °C
    humidity_max = fields.DecimalField(max_digits=5, decimal_places=2, null=True)  # % relative humidity
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "sku"


class SkuUnit(Model):
    # How many base units one of ``unit`` holds for this SKU (the base unit has factor 1).
    id = fields.IntField(primary_key=True)
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "lotline.Sku", related_name="units", on_delete=fields.CASCADE
    )
    sku_id: int
    unit = fields.CharField(max_length=16)
    factor = fields.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        table = "sku_unit"
        unique_together = (("sku", "unit"),)
