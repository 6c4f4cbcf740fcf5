"""Idempotent postings and the outbox, shared by every area's services.

An idempotency key is stored with the SHA-256 fingerprint of the request it came with (``fingerprint``): the
same key with the same request replays the first result; the same key with another request (another order,
quantity, amount…) is a ``Conflict`` naming the key, and posts nothing.
"""

import dataclasses
import hashlib
import json
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.common import bulk_insert, deferred, outbox
from domain.common.dialect import is_postgres
from domain.common.digits import ascii_digits
from domain.common.errors import Conflict, DomainError, ValidationError
from domain.common.models import IdempotencyKey, OutboxMessage

MAX_CLIENT_KEY_LENGTH = 128  # what the API documents and enforces for the caller's key
MAX_KEY_LENGTH = 160  # the API prefixes the caller's id ("<user id>:") to the client key


@dataclass(frozen=True)
class Posted:
    """What a posting returns: the document it created. A replay returns the first one again."""

    document_type: str
    document_id: int
    number: str
    replayed: bool = False


async def posting(
    scope: str, key: str | None, body: Callable[[], Awaitable[Posted]], *, batched: bool = False
) -> Posted:
    """Runs ``body`` in one transaction, remembering its result and the request's fingerprint under the key.

    A repeated key with the same request returns the first result and posts nothing; with a different
    request it raises ``Conflict`` (path ``idempotencyKey``). Two requests racing with the same key: the
    loser's unique-key insert fails, its transaction rolls back whole, and it replays the winner (or gets the
    conflict). The loser may also fail earlier, because the winner changed what it reads (the order it was
    waiting to lock is now fully received): a domain error with a key already stored replays too.

    The request is what ``body`` closes over: the use case's arguments (see ``fingerprint``).

    ``batched``: the ``bulk`` writes of ``body`` and the key's insert go to PostgreSQL as one statement at
    the end (``deferred``); for a body that reads none of what it writes (the hot postings, issue 15).
    """
    if key is not None and (not key.strip() or len(key) > MAX_KEY_LENGTH):
        raise ValidationError(f"idempotency key must be 1..{MAX_KEY_LENGTH} characters", ("idempotencyKey",))
    digest = fingerprint(body) if key is not None else ""
    if key is not None and (prior := await _replay(scope, key, digest)) is not None:
        return prior
    try:
        async with in_transaction(), deferred.batch() if batched else nullcontext():
            result = await body()
            if key is not None:
                await bulk_insert.insert_models(
                    [IdempotencyKey(scope=scope, key=key, fingerprint=digest, result=_encode(result))]
                )
            return result
    except (IntegrityError, DomainError):
        if key is not None and (prior := await _replay(scope, key, digest)) is not None:
            return prior
        raise


def fingerprint(body: Callable[[], Awaitable[Posted]]) -> str:
    """SHA-256 (hex) of the request a posting's ``body`` closes over: every captured argument in canonical
    JSON (decimals normalised, so ``10`` and ``10.00`` are the same quantity; dataclasses by field).

    Captured ``datetime`` values are left out: they are the server's clock (the posting time), which a retry
    of the same request legitimately changes. Dates (a bill date, an entry date) are the caller's and count.
    """
    code = body.__code__
    cells = body.__closure__ or ()
    request = {
        name: _canonical(cell.cell_contents)
        for name, cell in zip(code.co_freevars, cells, strict=True)
        if not isinstance(cell.cell_contents, datetime) and not callable(cell.cell_contents)
    }
    text = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, Enum):
        return _canonical(value.value)
    if isinstance(value, Decimal):
        return {"decimal": format(value.normalize(), "f") if value.is_finite() else str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {type(value).__name__: fields}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    raise TypeError(f"cannot fingerprint a {type(value).__name__} in a posting's request")


def client_part(key: str) -> str:
    """The caller's own key inside a scoped key ("<user id>:<client key>"), for messages."""
    head, sep, tail = key.partition(":")
    return tail if sep and ascii_digits(head) else key


# Hand-written on PostgreSQL (issue 15): every keyed posting asks this first, and the ORM's
# get_or_none spends ~0.5 ms of Python building the query and the model for two columns.
# tests/integration/valuation/test_stored_key.py pins it to the ORM's answer.
_STORED = 'SELECT "fingerprint", "result" FROM "idempotency_key" WHERE "scope" = $1 AND "key" = $2'


async def stored_key(scope: str, key: str) -> tuple[str, dict[str, Any]] | None:
    """The fingerprint and result stored under a key, or None."""
    if not is_postgres():
        row = await IdempotencyKey.get_or_none(scope=scope, key=key)
        return None if row is None else (row.fingerprint, row.result)
    rows = await IdempotencyKey._meta.db.execute_query_dict(_STORED, [scope, key])
    if not rows:
        return None
    result = IdempotencyKey._meta.fields_map["result"].to_python_value(rows[0]["result"])
    return str(rows[0]["fingerprint"]), result


async def _replay(scope: str, key: str, digest: str) -> Posted | None:
    stored = await stored_key(scope, key)
    if stored is None:
        return None
    fingerprint, data = stored
    if fingerprint and fingerprint != digest:
        raise Conflict(
            f"idempotency key {client_part(key)!r} was already used for a different request "
            "(幂等键已用于另一个请求): send a new key for a new posting",
            ("idempotencyKey",),
        )
    return Posted(data["document_type"], int(data["document_id"]), data["number"], replayed=True)


def _encode(p: Posted) -> dict[str, Any]:
    return {"document_type": p.document_type, "document_id": p.document_id, "number": p.number}


async def enqueue(topic: str, payload: dict[str, Any]) -> None:
    """Writes an outbox row in the caller's transaction; a relay hands it on after commit.

    Only for a topic with a consumer (``domain.common.outbox.CONSUMERS``); any other raises
    ``UnconsumedTopic`` rather than leave a row that nothing would ever relay.
    """
    outbox.check_topic(topic)
    await bulk_insert.insert_models([OutboxMessage(topic=topic, payload=payload)])


def document_number(prefix: str, document_id: int) -> str:
    return f"{prefix}{document_id:08d}"
