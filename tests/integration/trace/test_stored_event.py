"""``store_event`` asks whether the event's hash ID is already stored with one hand-written SELECT on
PostgreSQL (issue 15, ``recording._stored_event``): the row the ORM finds, or none."""

from datetime import UTC, datetime

import pytest
from tortoise.transactions import in_transaction

from domain.trace import recording
from domain.trace.models import TraceEvent

AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


class _RollBack(Exception):
    """Raised to leave nothing behind in the shared database."""


async def _both_paths(event_id: str) -> None:
    async with in_transaction():
        assert await recording._stored_event(event_id) is None
        row = await TraceEvent.create(
            event_id=event_id,
            event_type="ObjectEvent",
            action="OBSERVE",
            event_time=AT,
            canonical="{}",
            leaf="a" * 64,
            record_time=AT,
        )
        found = await recording._stored_event(event_id)
        orm = await TraceEvent.get_or_none(event_id=event_id)
        assert found is not None
        assert orm is not None
        assert (
            (found.id, found.event_id, found.leaf)
            == (orm.id, orm.event_id, orm.leaf)
            == (
                row.id,
                event_id,
                "a" * 64,
            )
        )
        raise _RollBack


async def test_the_stored_event_is_the_row_the_orm_finds(db, unique):
    with pytest.raises(_RollBack):
        await _both_paths(unique("urn:uuid:"))
