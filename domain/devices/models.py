"""Handhelds: devices, pick tasks and their lines, and the operations devices sync (with their exceptions)."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.inventory.models import Batch, Location, Warehouse
    from domain.partners.models import User
    from domain.sales.models import SalesOrder, SalesOrderLine


class Device(Model):
    # A registered handheld: it numbers its operations; the last one applied here is its high-water mark.
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="devices", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "lotline.User", related_name="devices", on_delete=fields.RESTRICT
    )
    user_id: int
    last_sequence = fields.BigIntField(default=0)
    last_seen_at = fields.DatetimeField(null=True)

    class Meta:
        table = "device"


class ZoneBinding(Model):
    # The location path prefixes a user may work in at a warehouse, on any of their handhelds (bound to the
    # user, so a new device id does not escape it), set by an administrator. No row: the whole warehouse.
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "lotline.User", related_name="zone_bindings", on_delete=fields.CASCADE
    )
    user_id: int
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="zone_bindings", on_delete=fields.CASCADE
    )
    warehouse_id: int
    zones: list[str] = fields.JSONField(default=list)

    class Meta:
        table = "zone_binding"
        unique_together = (("user", "warehouse"),)


class PickWave(Model):
    # Confirmed orders picked together: one walk through the bins in path order, a shipment per order.
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="pick_waves", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    status = fields.CharField(max_length=16, default="open", db_index=True)  # open, posted
    created_at = fields.DatetimeField()

    class Meta:
        table = "pick_wave"


class PickTask(Model):
    # What to pick for one sales order: lines with the FEFO-suggested lot and bin, for a user or a zone.
    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation["SalesOrder"] = fields.ForeignKeyField(
        "lotline.SalesOrder", related_name="pick_tasks", on_delete=fields.RESTRICT
    )
    order_id: int
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="pick_tasks", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    assignee: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "lotline.User", related_name="pick_tasks", null=True, on_delete=fields.RESTRICT
    )
    assignee_id: int | None
    zone = fields.CharField(max_length=64, default="")  # a location path prefix; "" = the whole warehouse
    wave: fields.ForeignKeyNullableRelation[PickWave] = fields.ForeignKeyField(
        "lotline.PickWave", related_name="tasks", null=True, on_delete=fields.RESTRICT
    )
    wave_id: int | None
    status = fields.CharField(max_length=16, default="open", db_index=True)  # open, picked, posted, cancelled
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "pick_task"


class PickLine(Model):
    id = fields.IntField(primary_key=True)
    task: fields.ForeignKeyRelation[PickTask] = fields.ForeignKeyField(
        "lotline.PickTask", related_name="lines", on_delete=fields.CASCADE
    )
    task_id: int
    order_line: fields.ForeignKeyRelation["SalesOrderLine"] = fields.ForeignKeyField(
        "lotline.SalesOrderLine", related_name="pick_lines", on_delete=fields.RESTRICT
    )
    order_line_id: int
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="pick_lines", on_delete=fields.RESTRICT
    )
    batch_id: int
    location: fields.ForeignKeyRelation["Location"] = fields.ForeignKeyField(
        "lotline.Location", related_name="pick_lines", on_delete=fields.RESTRICT
    )
    location_id: int
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # base units
    picked_quantity = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    picked_batch_id = fields.IntField(null=True)
    reason = fields.CharField(max_length=200, default="")
    status = fields.CharField(max_length=16, default="open")  # open, picked

    class Meta:
        table = "pick_line"


class DeviceOperation(Model):
    # One scan intent as the device sent it: applied once, or held as an exception with its reason.
    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "lotline.Device", related_name="operations", on_delete=fields.RESTRICT
    )
    device_id: int
    sequence = fields.BigIntField()
    kind = fields.CharField(max_length=24)
    payload: dict[str, Any] = fields.JSONField()
    scanned_at = fields.DatetimeField(null=True)
    received_at = fields.DatetimeField()
    status = fields.CharField(max_length=16, db_index=True)  # applied, exception, resolved, discarded
    code = fields.CharField(max_length=32, default="")  # an exception's kind: OUT_OF_ZONE, NOT_FOUND, …
    reason = fields.TextField(default="")
    resolved_by_id = fields.IntField(null=True)
    resolution = fields.TextField(default="")

    class Meta:
        table = "device_operation"
        unique_together = (("device", "sequence"),)
