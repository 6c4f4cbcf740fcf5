"""Data-health alerts: a metric of one supplier and week that crossed its threshold, stored once.

The row is the fact that the alert was raised (kept when the figure later recovers); ``notified_at`` is set by
the notification worker once the alert went out, so a notification outage leaves it pending, never lost.
"""

from tortoise import fields
from tortoise.models import Model


class HealthAlert(Model):
    # One per (supplier, week, metric): raising again is a no-op (unique key below).
    id = fields.IntField(primary_key=True)
    supplier_id = fields.IntField()  # 0: not one supplier's (the books against the ledger overall)
    week = fields.CharField(max_length=8)  # ISO week of the business date, "2026-W48"; "" for master data
    metric = fields.CharField(max_length=32)
    value = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    threshold = fields.DecimalField(max_digits=18, decimal_places=4)
    samples = fields.IntField(default=0)
    raised_at = fields.DatetimeField()
    notified_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)  # notifications tried (a failing webhook counts up)

    class Meta:
        table = "health_alert"
        unique_together = (("supplier_id", "week", "metric"),)


class LedgerSnapshot(Model):
    # The last books-vs-ledger list (`lotline check`), one row (id 1) rewritten by each refresh, so views read
    # it instead of running the check; computed_at is the wall-clock start of the computation it holds.
    id = fields.IntField(primary_key=True)
    computed_at = fields.DatetimeField()
    seconds = fields.DecimalField(max_digits=10, decimal_places=3)  # how long the check took
    disagreements: list[dict[str, object]] = fields.JSONField()  # [{source, what, text, supplier_id}]

    class Meta:
        table = "health_ledger_snapshot"
