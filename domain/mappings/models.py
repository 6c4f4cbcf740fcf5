"""Partner field mappings: each save is a new version; the highest version of a partner and target is used."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class PartnerMapping(Model):
    # partner_code is a supplier's or customer's code (kind tells which); spec is domain.mappings.rules' JSON.
    id = fields.IntField(primary_key=True)
    partner_kind = fields.CharField(max_length=16)
    partner_code = fields.CharField(max_length=32)
    target = fields.CharField(max_length=32)
    version = fields.IntField()
    spec: dict[str, Any] = fields.JSONField()
    note = fields.CharField(max_length=200, default="")
    created_by = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "partner_mapping"
        unique_together = (("partner_kind", "partner_code", "target", "version"),)
