"""Recall mutation inputs."""

import strawberry


@strawberry.input
class RecallOpenInput:
    batch_id: strawberry.ID
    reason: str
    notice_zh: str
    notice_en: str
    idempotency_key: str | None = None


@strawberry.input
class RecallDestroyInput:
    recall_id: strawberry.ID
    batch_id: strawberry.ID
    reason: str = ""
    idempotency_key: str | None = None


@strawberry.input
class RecallCloseInput:
    recall_id: strawberry.ID
    idempotency_key: str | None = None
