"""Cross-area persistence: idempotency keys and the outbox."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class IdempotencyKey(Model):
    # The first result of a posting, replayed when the same client key comes again.
    id = fields.BigIntField(primary_key=True)
    scope = fields.CharField(max_length=64)  # operation name + caller, so keys of two users never clash
    key = fields.CharField(max_length=160)  # "<user id>:<client key>"
    # SHA-256 of the request the key came with ("" on rows from before fingerprints: replayed unchecked)
    fingerprint = fields.CharField(max_length=64, default="")
    result: dict[str, Any] = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idempotency_key"
        unique_together = (("scope", "key"),)


class OutboxMessage(Model):
    # Work for the outside world (broker, chain), written in the posting's transaction.
    id = fields.BigIntField(primary_key=True)
    topic = fields.CharField(max_length=64, db_index=True)
    payload: dict[str, Any] = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)
    relayed_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "outbox_message"
