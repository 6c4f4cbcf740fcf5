from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [('lotline', '0019_lowcode_fields')]

    initial = False

    operations = [
        ops.CreateModel(
            name="ApprovalRequest",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("document_type", fields.CharField(max_length=32)),
                ("subject", fields.CharField(max_length=32)),
                ("document_id", fields.IntField(null=True)),
                (
                    "facts",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                ("digest", fields.CharField(max_length=64)),
                (
                    "steps",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                ("on_reject", fields.CharField(max_length=16)),
                ("status", fields.CharField(default="pending", db_index=True, max_length=16)),
                ("open_key", fields.CharField(null=True, unique=True, max_length=120)),
                ("requested_by_id", fields.IntField(null=True)),
                ("requested_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "approval_request",
                "app": "lotline",
                "indexes": [Index(fields=["document_type", "subject"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ApprovalDecision",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "request",
                    fields.ForeignKeyField(
                        "lotline.ApprovalRequest",
                        source_field="request_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="decisions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("step", fields.IntField()),
                ("level", fields.IntField()),
                ("user_id", fields.IntField()),
                ("username", fields.CharField(max_length=64)),
                ("role", fields.CharField(max_length=24)),
                ("verdict", fields.CharField(max_length=16)),
                ("reason", fields.TextField(default="", unique=False)),
                ("decided_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "approval_decision", "app": "lotline", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ApprovalRule",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("name", fields.CharField(max_length=120)),
                ("document_type", fields.CharField(db_index=True, max_length=32)),
                (
                    "condition",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                (
                    "levels",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                ("on_reject", fields.CharField(default="back_to_draft", max_length=16)),
                ("active", fields.BooleanField(default=True)),
                ("created_by_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "approval_rule", "app": "lotline", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SavedReport",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("name", fields.CharField(max_length=120)),
                (
                    "spec",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                (
                    "shared_roles",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("owner_id", fields.IntField(db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "saved_report", "app": "lotline", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.AddField(
            model_name="PurchaseOrder",
            name="payment_terms_days",
            field=fields.IntField(null=True),
        ),
    ]
