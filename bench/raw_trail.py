"""The rest of a posting's writes as bare asyncpg statements: what ``raw_baseline`` leaves out.

``raw_baseline`` writes the stock side only (document, lots, quants, moves, lines, valuations, order lines).
A posting of the API also locks its order, checks and stores its idempotency key, writes a journal entry
with two lines per SKU (inventory against GR/IR or cost of sales), accrues GR/IR per order line (receipts),
records one EPCIS event with its canonical JSON and hash, links it to its five lots and advances each
lot's hash chain, and queues the event for anchoring. Issue 15 measures the API against "raw asyncpg, same
writes": these are those writes, each as cheap as bare SQL makes it (one statement per table, set-based),
so the pair is the floor the API's ratio is taken against.

Row shapes follow what a five-line API posting writes (10 journal lines, 5 lot links, 1 outbox row; the
event's canonical JSON ~1.6 KB); the values are synthetic.
"""

import hashlib
import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg

#: Stands in for the EPCIS event's canonical JSON: the size of a five-lot ObjectEvent's.
_EVENT_BODY = {"eventType": "ObjectEvent", "action": "OBSERVE", "padding": "x" * 1300}


async def before(conn: asyncpg.Connection, scope: str, key: str) -> None:
    """The idempotency look-up a keyed posting makes before its transaction (a new key: no row)."""
    await conn.fetchrow(
        'SELECT fingerprint, result FROM idempotency_key WHERE scope = $1 AND "key" = $2', scope, key
    )


async def lock_order(conn: asyncpg.Connection, table: str, order_id: int) -> None:
    """The order row locked first, as every posting on an order does (purchase_order, sales_order)."""
    await conn.fetchrow(f"SELECT id, status FROM {table} WHERE id = $1 FOR UPDATE", order_id)


async def trail(
    conn: asyncpg.Connection,
    *,
    scope: str,
    key: str,
    doc_type: str,
    doc_id: int,
    sku_ids: list[int],
    batch_ids: list[int],
    accounts: tuple[int, int],
    amount: Decimal,
    accrue_lines: list[int] | None = None,
) -> None:
    """Inside the posting's transaction: journal, accruals (``accrue_lines``, receipts), trace event with
    its lot links and chain heads, outbox row, idempotency key. ``accounts`` is (debit, credit) account id;
    ``amount`` the value per SKU line."""
    now = datetime.now(UTC)
    today = now.date()
    debit, credit = accounts
    n = len(sku_ids)
    await conn.execute(
        "WITH e AS (INSERT INTO fin_journal_entry (entry_date, period, doc_type, doc_id, memo, source, "
        "created_at) VALUES ($1, $2, $3, $4, '', 'auto', $5) RETURNING id) "
        "INSERT INTO fin_journal_line (entry_date, debit, credit, sku_id, doc_type, doc_id, memo, "
        "account_id, entry_id) SELECT $1, d, c, s, $3, $4, '', a, e.id FROM e, "
        "unnest($6::int[], $7::numeric[], $8::numeric[], $9::int[]) AS t(s, d, c, a)",
        today,
        today.strftime("%Y-%m"),
        doc_type,
        doc_id,
        now,
        [s for s in sku_ids for _ in (0, 1)],
        [amount, Decimal(0)] * n,
        [Decimal(0), amount] * n,
        [debit, credit] * n,
    )
    if accrue_lines:
        await conn.execute(
            "INSERT INTO fin_purchase_accrual AS a (order_line_id, received_quantity, received_amount, "
            "billed_quantity, billed_amount) SELECT l, 1, $2, 0, 0 FROM unnest($1::int[]) l "
            "ON CONFLICT (order_line_id) DO UPDATE SET received_quantity = a.received_quantity + 1, "
            "received_amount = a.received_amount + excluded.received_amount",
            accrue_lines,
            amount,
        )
    canonical = json.dumps({**_EVENT_BODY, "doc": [doc_type, doc_id], "lots": batch_ids}, sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    streams = [f"urn:raw:lot:{b}" for b in batch_ids]
    await conn.execute(
        "INSERT INTO trace_stream AS t (stream, head_seq, head_hash, first_time) "
        "SELECT s, 1, $2, $3 FROM unnest($1::text[]) s ORDER BY s "
        "ON CONFLICT (stream) DO UPDATE SET head_seq = t.head_seq + 1, head_hash = excluded.head_hash",
        streams,
        digest,
        now,
    )
    event_id = await conn.fetchval(
        "INSERT INTO trace_event (event_id, event_type, biz_step, action, disposition, event_time, origin, "
        "doc_type, doc_id, canonical, leaf, created_at, record_time) VALUES ($1, 'ObjectEvent', 'receiving', "
        "'OBSERVE', 'in_progress', $2, 'internal', $3, $4, $5, $6, $2, $2) RETURNING id",
        f"ni:///sha-256;{digest}?ver=CBV2.0;{uuid.uuid4().hex}",
        now,
        doc_type,
        doc_id,
        canonical,
        digest,
    )
    await conn.execute(
        "INSERT INTO trace_event_batch (epc_class, role, quantity, batch_id, event_id, seq) "
        "SELECT s, 'object', 1, b, $3, 1 FROM unnest($1::text[], $2::int[]) AS t(s, b)",
        streams,
        batch_ids,
        event_id,
    )
    await conn.execute(
        "INSERT INTO outbox_message (topic, payload, created_at) VALUES ('trace.anchor', $1::jsonb, $2)",
        json.dumps({"leaf": digest, "trace_event_id": event_id}),
        now,
    )
    await conn.execute(
        'INSERT INTO idempotency_key (scope, "key", fingerprint, result, created_at) '
        "VALUES ($1, $2, $3, $4::jsonb, $5)",
        scope,
        key,
        digest,
        json.dumps({"document_type": doc_type, "document_id": doc_id, "number": f"X{doc_id}"}),
        now,
    )
