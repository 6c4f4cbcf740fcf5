"""Suppliers, customers, users and their API tokens."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Supplier(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    contact = fields.CharField(max_length=200, default="")
    gln = fields.CharField(max_length=13, null=True)
    lead_time_days = fields.IntField(default=2)
    active = fields.BooleanField(default=True)
    # Payment terms (domain.finance.terms), e.g. {"kind": "net", "days": 30}; null: due on the bill date.
    payment_terms: dict[str, Any] | None = fields.JSONField(null=True)
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "supplier"


class Customer(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    contact = fields.CharField(max_length=200, default="")
    gln = fields.CharField(max_length=13, null=True)
    active = fields.BooleanField(default=True)
    # Payment terms (domain.finance.terms); null: due on the invoice date.
    payment_terms: dict[str, Any] | None = fields.JSONField(null=True)
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "customer"


class User(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    password_hash = fields.CharField(max_length=255)
    role = fields.CharField(max_length=32)
    # Set only for role "supplier": the one supplier whose documents this user may see.
    supplier: fields.ForeignKeyNullableRelation[Supplier] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="users", null=True, on_delete=fields.RESTRICT
    )
    supplier_id: int | None
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "app_user"


class ApiToken(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "lotline.User", related_name="tokens", on_delete=fields.CASCADE
    )
    user_id: int
    name = fields.CharField(max_length=64, default="")
    # SHA-256 of a 256-bit random token: high entropy makes a slow hash pointless and keeps lookup O(1).
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
