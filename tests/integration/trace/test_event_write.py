"""On PostgreSQL ``store_event`` writes a new event, its lot links, its heads' advance and its outbox row
with one hand-written statement (issue 15, ``event_write.write``) after the one that checks and locks
(``event_write.claim``): the same rows, every column, as the ORM path (``event_write.write_orm``, SQLite's)
writes for the same event recorded from the same heads."""

import logging
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from domain.common.models import OutboxMessage
from domain.trace import event_write, integrity, recording
from domain.trace.models import TraceEvent, TraceEventBatch, TraceStream
from tests import factories

FIRST = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
RECORDED = datetime(2026, 3, 3, 9, 15, 30, 123456, tzinfo=UTC)


class _RollBack(Exception):
    """Raised to leave nothing behind in the shared database (both paths start from the same heads)."""


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _without(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in names}


async def _record(
    event: dict[str, Any], links: list[recording.LotLink], streams: list[str]
) -> tuple[dict[str, Any], int]:
    """Records ``event`` in a transaction rolled back afterwards: its rows (ids and ``created_at`` checked,
    then left out) and how many statements it took."""
    snapshot: dict[str, Any] = {}
    counter = _Statements()
    with pytest.raises(_RollBack):
        await _record_and_roll_back(event, links, streams, snapshot, counter)
    return snapshot, counter.count


async def _record_and_roll_back(
    event: dict[str, Any],
    links: list[recording.LotLink],
    streams: list[str],
    snapshot: dict[str, Any],
    counter: _Statements,
) -> None:
    before = await OutboxMessage.all().order_by("-id").first()
    log = logging.getLogger("tortoise.db_client")
    level = log.level
    async with in_transaction():
        log.setLevel(logging.DEBUG)
        log.addHandler(counter)
        try:
            row = await recording.store_event(
                event, doc_type="test", doc_id=42, links=links, record_time=RECORDED
            )
        finally:
            log.removeHandler(counter)
            log.setLevel(level)
        stored = (await TraceEvent.filter(event_id=event["eventID"]).values())[0]
        assert (row.id, row.created_at) == (stored["id"], stored["created_at"])
        outbox = await OutboxMessage.filter(id__gt=before.id if before else 0).values()
        lots = await TraceEventBatch.filter(event_id=row.id).order_by("id").values()
        assert len(outbox) == 1
        assert outbox[0]["payload"]["trace_event_id"] == row.id
        assert {r["event_id"] for r in lots} == {row.id}
        for created in (stored["created_at"], outbox[0]["created_at"]):
            assert abs((datetime.now(UTC) - created).total_seconds()) < 60
        heads = await TraceStream.filter(stream__in=streams).order_by("stream").values()
        snapshot["event"] = _without(stored, "id", "created_at")
        snapshot["links"] = [_without(r, "id", "event_id") for r in lots]
        snapshot["heads"] = [_without(r, "id") for r in heads]
        snapshot["outbox"] = [
            {**_without(r, "id", "created_at"), "payload": {**r["payload"], "trace_event_id": "id"}}
            for r in outbox
        ]
        raise _RollBack


async def test_the_hand_written_write_stores_the_orm_rows(db, unique, monkeypatch):
    wh, supplier, sku = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_sku(),
    )
    lot = await factories.receive(sku, wh, supplier, Decimal(5))
    held, fresh = streams = sorted(f"urn:test:{unique('S')}" for _ in range(2))
    await TraceStream.create(stream=held, head_seq=3, head_hash="b" * 64, first_time=FIRST)
    event = {
        "eventID": unique("ni:///sha-256;test-"),
        "type": "ObjectEvent",
        "eventTime": "2026-03-02T08:30:00.123456789+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": "urn:lotline:loc:仓库"},
        "quantityList": [{"epcClass": held, "quantity": 1.5}],
    }
    links = [
        recording.LotLink(lot.batch_id, held, "input", Decimal("1.23456")),  # more places than the column
        recording.LotLink(lot.batch_id, held, "output", Decimal("2")),
        recording.LotLink(None, fresh, "object", None),
    ]
    try:
        ours, statements = await _record(event, links, streams)
        with monkeypatch.context() as patch:
            patch.setattr(event_write, "write", event_write.write_orm)
            theirs, orm_statements = await _record(event, links, streams)
    finally:
        await TraceStream.filter(stream__in=streams).delete()

    assert ours == theirs
    assert (statements, orm_statements) == (2, 6)  # claim + write; claim, 2 head updates, 3 inserts
    chain = integrity.links_of(integrity.parse(ours["event"]["canonical"]))
    assert [(k.stream, k.seq, k.prev) for k in chain] == [(held, 4, "b" * 64), (fresh, 1, integrity.GENESIS)]
    assert [(h["stream"], h["head_seq"], h["head_hash"]) for h in ours["heads"]] == [
        (held, 4, ours["event"]["leaf"]),
        (fresh, 1, ours["event"]["leaf"]),
    ]
    assert ours["heads"][1]["first_time"] == datetime(2026, 3, 2, 0, 30, 0, 123456, tzinfo=UTC)
    assert [(k["role"], k["quantity"], k["seq"]) for k in ours["links"]] == [
        ("input", Decimal("1.2346"), 4),
        ("output", Decimal("2.0000"), 4),
        ("object", None, 1),
    ]


def test_the_write_names_every_column_of_its_tables(db):
    def written(model: type[Any]) -> set[str]:
        return {c for c in model._meta.fields_db_projection.values() if c != model._meta.db_pk_column}

    assert set(event_write.EVENT_COLUMNS) == written(TraceEvent)
    assert {"event_id", *event_write.LINK_COLUMNS} == written(TraceEventBatch)
