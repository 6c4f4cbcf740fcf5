"""Idempotent postings and the outbox, shared by every area's services."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.common import outbox
from domain.common.errors import DomainError, ValidationError
from domain.common.models import IdempotencyKey, OutboxMessage

MAX_KEY_LENGTH = 160  # the API prefixes the caller's id to a client key of up to 128 characters


@dataclass(frozen=True)
class Posted:
    """What a posting returns: the document it created. A replay returns the first one again."""

    document_type: str
    document_id: int
    number: str
    replayed: bool = False


async def posting(scope: str, key: str | None, body: Callable[[], Awaitable[Posted]]) -> Posted:
    """Runs ``body`` in one transaction, remembering its result under the client key.

    A repeated key returns the first result and posts nothing. Two requests racing with the same key:
    the loser's unique-key insert fails, its transaction rolls back whole, and it replays the winner.
    The loser may also fail earlier, because the winner changed what it reads (the order it was
    waiting to lock is now fully received): a domain error with a key already stored replays too.
    """
    if key is not None and (not key or len(key) > MAX_KEY_LENGTH):
        raise ValidationError(f"idempotency key must be 1..{MAX_KEY_LENGTH} characters", ("idempotencyKey",))
    if key is not None and (prior := await _replay(scope, key)) is not None:
        return prior
    try:
        async with in_transaction():
            result = await body()
            if key is not None:
                await IdempotencyKey.create(scope=scope, key=key, result=_encode(result))
            return result
    except (IntegrityError, DomainError):
        if key is not None and (prior := await _replay(scope, key)) is not None:
            return prior
        raise


async def _replay(scope: str, key: str) -> Posted | None:
    row = await IdempotencyKey.get_or_none(scope=scope, key=key)
    if row is None:
        return None
    data: dict[str, Any] = row.result
    return Posted(data["document_type"], int(data["document_id"]), data["number"], replayed=True)


def _encode(p: Posted) -> dict[str, Any]:
    return {"document_type": p.document_type, "document_id": p.document_id, "number": p.number}


async def enqueue(topic: str, payload: dict[str, Any]) -> None:
    """Writes an outbox row in the caller's transaction; a relay hands it on after commit.

    Only for a topic with a consumer (``domain.common.outbox.CONSUMERS``); any other raises
    ``UnconsumedTopic`` rather than leave a row that nothing would ever relay.
    """
    outbox.check_topic(topic)
    await OutboxMessage.create(topic=topic, payload=payload)


def document_number(prefix: str, document_id: int) -> str:
    return f"{prefix}{document_id:08d}"
