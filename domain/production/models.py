"""Production: BOMs with their lines, substitutes and routings; item groups and material process profiles;
production orders, their components (with the substitute chosen at release) and completions."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.catalog.models import Sku
    from domain.inventory.models import Batch, Warehouse


class ItemGroup(Model):
    # Interchangeable materials (e.g. leafy greens): every member is a candidate substitute of the others.
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=128, default="")

    class Meta:
        table = "item_group"


class ItemGroupMember(Model):
    id = fields.IntField(primary_key=True)
    group: fields.ForeignKeyRelation[ItemGroup] = fields.ForeignKeyField(
        "lotline.ItemGroup", related_name="members", on_delete=fields.CASCADE
    )
    group_id: int
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="item_groups", on_delete=fields.RESTRICT
    )
    sku_id: int
    ratio = fields.DecimalField(max_digits=12, decimal_places=4, default=1)  # units per group unit

    class Meta:
        table = "item_group_member"
        unique_together = (("group", "sku"),)


class MaterialProcess(Model):
    # A material qualified for an operation, on the listed equipment (what route compatibility reads).
    id = fields.IntField(primary_key=True)
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="processes", on_delete=fields.CASCADE
    )
    sku_id: int
    operation_code = fields.CharField(max_length=32)
    equipment: list[str] = fields.JSONField(default=list)

    class Meta:
        table = "material_process"
        unique_together = (("sku", "operation_code"),)


class Bom(Model):
    # A bill of materials for one output SKU; one active version per SKU.
    id = fields.IntField(primary_key=True)
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="boms", on_delete=fields.RESTRICT
    )
    sku_id: int
    version = fields.IntField(default=1)
    yield_rate = fields.DecimalField(max_digits=6, decimal_places=4, default=1)
    active = fields.BooleanField(default=True)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "bom"
        unique_together = (("sku", "version"),)


class BomLine(Model):
    # A component (quantity per output unit) or a by-product (quantity per output unit, valued per unit).
    id = fields.IntField(primary_key=True)
    bom: fields.ForeignKeyRelation[Bom] = fields.ForeignKeyField(
        "lotline.Bom", related_name="lines", on_delete=fields.CASCADE
    )
    bom_id: int
    kind = fields.CharField(max_length=16, default="component")  # component | by_product
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="bom_lines", on_delete=fields.RESTRICT
    )
    sku_id: int
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)
    scrap_rate = fields.DecimalField(max_digits=6, decimal_places=4, default=0)
    unit_value = fields.DecimalField(max_digits=20, decimal_places=4, default=0)  # by-products
    cost_threshold = fields.DecimalField(max_digits=6, decimal_places=4, default=0)  # substitutes
    item_group: fields.ForeignKeyNullableRelation[ItemGroup] = fields.ForeignKeyField(
        "lotline.ItemGroup", related_name="bom_lines", null=True, on_delete=fields.RESTRICT
    )
    item_group_id: int | None
    # [{"parameter": "moisture", "min": "0", "max": "12"}]: what a substitute's QC results must meet
    specs: list[dict[str, Any]] = fields.JSONField(default=list)

    class Meta:
        table = "bom_line"


class BomSubstitute(Model):
    id = fields.IntField(primary_key=True)
    line: fields.ForeignKeyRelation[BomLine] = fields.ForeignKeyField(
        "lotline.BomLine", related_name="substitutes", on_delete=fields.CASCADE
    )
    line_id: int
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="substitute_for", on_delete=fields.RESTRICT
    )
    sku_id: int
    ratio = fields.DecimalField(max_digits=12, decimal_places=4, default=1)

    class Meta:
        table = "bom_substitute"
        unique_together = (("line", "sku"),)


class RoutingOperation(Model):
    # One step of the BOM's routing, in ``seq`` order, with its times, rates and allowed equipment.
    id = fields.IntField(primary_key=True)
    bom: fields.ForeignKeyRelation[Bom] = fields.ForeignKeyField(
        "lotline.Bom", related_name="operations", on_delete=fields.CASCADE
    )
    bom_id: int
    seq = fields.IntField()
    code = fields.CharField(max_length=32)
    work_centre = fields.CharField(max_length=32)
    setup_minutes = fields.DecimalField(max_digits=10, decimal_places=2, default=0)
    minutes_per_unit = fields.DecimalField(max_digits=10, decimal_places=4, default=0)
    labour_rate = fields.DecimalField(max_digits=12, decimal_places=2, default=0)  # per hour
    overhead_rate = fields.DecimalField(max_digits=12, decimal_places=2, default=0)  # per hour
    equipment: list[str] = fields.JSONField(default=list)

    class Meta:
        table = "routing_operation"
        unique_together = (("bom", "seq"),)


class ProductionOrder(Model):
    # planned -> released -> in_progress (after the first completion) -> closed
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    bom: fields.ForeignKeyRelation[Bom] = fields.ForeignKeyField(
        "lotline.Bom", related_name="orders", on_delete=fields.RESTRICT
    )
    bom_id: int
    sku_id = fields.IntField()
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="production_orders", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    status = fields.CharField(max_length=16, default="planned", db_index=True)
    planned_quantity = fields.DecimalField(max_digits=18, decimal_places=4)
    completed_quantity = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    scrap_quantity = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    material_cost = fields.DecimalField(max_digits=20, decimal_places=2, default=0)
    labour_cost = fields.DecimalField(max_digits=20, decimal_places=2, default=0)
    overhead_cost = fields.DecimalField(max_digits=20, decimal_places=2, default=0)
    planned_date = fields.DateField()
    note = fields.TextField(default="")
    created_at = fields.DatetimeField()
    released_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "production_order"


class ProductionOrderComponent(Model):
    # What the order consumes per BOM line: the line's SKU, or the substitute chosen at release.
    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[ProductionOrder] = fields.ForeignKeyField(
        "lotline.ProductionOrder", related_name="components", on_delete=fields.CASCADE
    )
    order_id: int
    bom_line: fields.ForeignKeyRelation[BomLine] = fields.ForeignKeyField(
        "lotline.BomLine", related_name="order_components", on_delete=fields.RESTRICT
    )
    bom_line_id: int
    sku_id = fields.IntField()
    substitute_for_sku_id = fields.IntField(null=True)  # the BOM line's SKU when ``sku_id`` replaces it
    ratio = fields.DecimalField(max_digits=12, decimal_places=4, default=1)
    score = fields.DecimalField(max_digits=6, decimal_places=4, null=True)
    explanation: list[str] = fields.JSONField(default=list)
    consumed = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    consumed_value = fields.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        table = "production_order_component"


class ProductionCompletion(Model):
    # One reported completion: components consumed, output and by-product lots made, one event, one entry.
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    order: fields.ForeignKeyRelation[ProductionOrder] = fields.ForeignKeyField(
        "lotline.ProductionOrder", related_name="completions", on_delete=fields.RESTRICT
    )
    order_id: int
    good_quantity = fields.DecimalField(max_digits=18, decimal_places=4)
    scrap_quantity = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    material_cost = fields.DecimalField(max_digits=20, decimal_places=2)
    labour_cost = fields.DecimalField(max_digits=20, decimal_places=2)
    overhead_cost = fields.DecimalField(max_digits=20, decimal_places=2)
    output_batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="production_completions", on_delete=fields.RESTRICT
    )
    output_batch_id: int
    posted_at = fields.DatetimeField()

    class Meta:
        table = "production_completion"
