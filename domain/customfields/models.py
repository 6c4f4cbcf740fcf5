"""Custom field definitions (one per entity and key); values live in each record's ``custom`` column."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class CustomFieldDefinition(Model):
    # Kinds and limits are explained in domain.customfields.rules; an inactive definition is hidden and not
    # checked, and its stored values are kept so that restoring it loses nothing.
    id = fields.IntField(primary_key=True)
    entity = fields.CharField(max_length=32)
    key = fields.CharField(max_length=40)
    kind = fields.CharField(max_length=16)
    label_zh = fields.CharField(max_length=100)
    label_en = fields.CharField(max_length=100)
    required = fields.BooleanField(default=False)
    default: Any = fields.JSONField(null=True)
    min_length = fields.IntField(null=True)
    max_length = fields.IntField(null=True)
    pattern = fields.CharField(max_length=200, null=True)
    minimum = fields.DecimalField(max_digits=20, decimal_places=4, null=True)
    maximum = fields.DecimalField(max_digits=20, decimal_places=4, null=True)
    places = fields.IntField(null=True)
    choices: list[str] = fields.JSONField(default=list)
    position = fields.IntField(default=0)
    active = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "custom_field_definition"
        unique_together = (("entity", "key"),)
