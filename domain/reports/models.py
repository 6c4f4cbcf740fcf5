"""Saved report definitions: a spec (fact, dimensions, measures, filters) that compiles to SQL, never SQL."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


# A saved report: its owner, the roles it is shared with, and its spec as data (see domain.reports.rules).
class SavedReport(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    spec: dict[str, Any] = fields.JSONField()
    shared_roles: list[str] = fields.JSONField(default=list)  # role names that may run it besides its owner
    owner_id = fields.IntField(db_index=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "saved_report"
