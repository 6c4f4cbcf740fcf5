"""``store_event`` asks whether the event's hash ID is already stored in the same hand-written statement
that locks its heads on PostgreSQL (issue 15, ``event_write.claim``): the row the ORM finds, or none; and
for a stored event its heads are neither created nor locked, as when the check was a statement of its own."""

from datetime import UTC, datetime

import pytest
from tortoise.transactions import in_transaction

from domain.common.models import OutboxMessage
from domain.trace import event_write, recording
from domain.trace.models import TraceEvent, TraceStream

AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


class _RollBack(Exception):
    """Raised to leave nothing behind in the shared database."""


async def _both_paths(event_id: str, fresh: str) -> None:
    async with in_transaction():
        assert await TraceEvent.get_or_none(event_id=event_id) is None
        stored, heads, new_id = await event_write.claim(event_id, [fresh])
        assert (stored, heads) == (None, [(fresh, 0, "", None)])
        # A new event's id is drawn from the table's sequence, after every id already given.
        last = await TraceEvent.all().order_by("-id").first()
        assert new_id is not None
        assert new_id > (last.id if last else 0)
        assert (await event_write.claim(None, [fresh])).new_id is None  # heads only: no id drawn
        await TraceStream.filter(stream=fresh).delete()
        row = await TraceEvent.create(
            event_id=event_id,
            event_type="ObjectEvent",
            action="OBSERVE",
            event_time=AT,
            canonical="{}",
            leaf="a" * 64,
            record_time=AT,
        )
        found, heads, new_id = await event_write.claim(event_id, [fresh])
        assert new_id is None
        orm = await TraceEvent.get_or_none(event_id=event_id)
        assert orm is not None
        assert (found, heads) == (orm.id, []) == (row.id, [])
        assert not await TraceStream.filter(stream=fresh).exists()

        # The same event stored again is the first row, and nothing is added.
        outbox = await OutboxMessage.all().count()
        event = {"eventID": event_id, "type": "ObjectEvent", "eventTime": "2026-03-02T08:30:00.000Z"}
        links = [recording.LotLink(None, fresh, "object", None)]
        again = await recording.store_event(event, doc_type="test", doc_id=None, links=links)
        assert (again.id, again.leaf) == (row.id, "a" * 64)
        assert await TraceEvent.filter(event_id=event_id).count() == 1
        assert await OutboxMessage.all().count() == outbox
        assert not await TraceStream.filter(stream=fresh).exists()
        raise _RollBack


async def test_the_stored_event_is_the_row_the_orm_finds(db, unique):
    with pytest.raises(_RollBack):
        await _both_paths(unique("urn:uuid:"), f"urn:test:{unique('S')}")
