"""A journey step's "recorded on" and "sealed on" days are business days (the business time zone), not UTC.

A record made at 00:51 on 1 December in Shanghai is 16:51 UTC on 30 November: the page must say 2026-12-01.
"""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.anchoring.verification import EventCheck
from domain.provenance.page import step_of
from domain.trace.integrity import State

EVENT_TIME = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def check(record_time: datetime | None, sealed_on: datetime | None = None, late: bool = True) -> EventCheck:
    body = {"type": "ObjectEvent", "bizStep": "receiving", "eventTimeZoneOffset": "+08:00"}
    return EventCheck(
        pk=1,
        event_id="e1",
        event_hash="ab" * 32,
        state=State.NOT_ANCHORED,
        event_time=EVENT_TIME,
        record_time=record_time,
        recorded_late=late,
        before_first=False,
        anchor=None,
        body=body,
        sealed_on=sealed_on,
    )


pytestmark = pytest.mark.usefixtures("shanghai")


def test_a_record_after_midnight_in_shanghai_is_on_the_shanghai_day() -> None:
    step = step_of(check(datetime(2026, 11, 30, 16, 51, tzinfo=UTC)), {}, False)
    assert step.recorded_on == date(2026, 12, 1)


def test_a_seal_just_after_midnight_is_on_the_business_day() -> None:
    step = step_of(check(None, sealed_on=datetime(2026, 11, 30, 16, 5, tzinfo=UTC), late=False), {}, False)
    assert step.sealed_on == date(2026, 12, 1)
    assert step.recorded_on is None


def test_a_naive_time_from_sqlite_is_read_as_utc() -> None:
    naive = datetime(2026, 11, 30, 16, 51, tzinfo=UTC).replace(tzinfo=None)
    step = step_of(check(naive), {}, False)
    assert step.recorded_on == date(2026, 12, 1)


START, END = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


@given(st.datetimes(START.replace(tzinfo=None), END.replace(tzinfo=None), timezones=st.just(UTC)))
def test_the_day_shown_is_the_wall_clock_day_in_the_business_zone(at: datetime) -> None:
    step = step_of(check(at), {}, False)
    assert step.recorded_on == (at + timedelta(hours=8)).replace(tzinfo=timezone(timedelta(hours=8))).date()
