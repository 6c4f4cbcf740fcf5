"""Expiry policies (N days per SKU, category or default), expiry alerts and promotion proposals."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.catalog.models import Category, Sku
    from domain.inventory.models import Batch


class ExpiryPolicy(Model):
    # How many days ahead to act. One row per SKU, one per category, and at most one default (both null);
    # the SKU's row wins over its category's, which wins over the default (then the built-in defaults).
    id = fields.IntField(primary_key=True)
    sku: fields.ForeignKeyNullableRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="expiry_policies", null=True, unique=True, on_delete=fields.CASCADE
    )
    sku_id: int | None
    category: fields.ForeignKeyNullableRelation["Category"] = fields.ForeignKeyField(
        "lotline.Category", related_name="expiry_policies", null=True, unique=True, on_delete=fields.CASCADE
    )
    category_id: int | None
    alert_days = fields.IntField()  # alert this many days before the expiry date
    promote_days = fields.IntField()  # propose a promotion this many days before best-before
    markdown = fields.DecimalField(max_digits=5, decimal_places=4)  # suggested price cut, 0.3000 = 30 %
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "expiry_policy"


class ExpiryAlert(Model):
    # 临期预警: raised once per batch, kind and expiry date (a second scan adds nothing).
    id = fields.IntField(primary_key=True)
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="expiry_alerts", on_delete=fields.RESTRICT
    )
    batch_id: int
    sku_id = fields.IntField(db_index=True)
    kind = fields.CharField(max_length=16)  # near_expiry | expired
    expiry_date = fields.DateField()
    raised_on = fields.DateField(db_index=True)  # business date of the scan that raised it
    days_left = fields.IntField()  # expiry date - raised_on (negative once expired)
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # on hand when raised, base units
    status = fields.CharField(max_length=16, default="open")  # open | acknowledged
    created_at = fields.DatetimeField()

    class Meta:
        table = "expiry_alert"
        unique_together = (("batch", "kind", "expiry_date"),)


class PromotionProposal(Model):
    # 促销建议: a suggested markdown before best-before, accepted or dismissed by a store manager. Internal:
    # never shown on the public provenance page.
    id = fields.IntField(primary_key=True)
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="promotion_proposals", on_delete=fields.RESTRICT
    )
    batch_id: int
    sku_id = fields.IntField(db_index=True)
    best_before_date = fields.DateField()
    proposed_on = fields.DateField(db_index=True)
    days_left = fields.IntField()
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # available when proposed, base units
    suggested_markdown = fields.DecimalField(max_digits=5, decimal_places=4)
    status = fields.CharField(max_length=16, default="proposed", db_index=True)  # proposed|accepted|dismissed
    markdown = fields.DecimalField(max_digits=5, decimal_places=4, null=True)  # as accepted
    decided_by_id = fields.IntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "promotion_proposal"
        unique_together = (("batch", "best_before_date"),)
