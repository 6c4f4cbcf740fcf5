"""Business dates: one configured zone (default Asia/Shanghai) turns instants into the company's days."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from domain.common import business_time
from domain.trace import zone


@pytest.fixture
def new_york() -> Iterator[None]:
    business_time.configure("America/New_York")
    yield
    business_time.configure(business_time.DEFAULT_ZONE)


def test_17_utc_on_december_1st_is_december_2nd_in_shanghai():
    at = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)

    assert business_time.zone().key == "Asia/Shanghai"
    assert business_time.business_today(at) == date(2026, 12, 2)
    assert business_time.business_date(datetime(2026, 12, 1, 15, 59, tzinfo=UTC)) == date(2026, 12, 1)
    assert business_time.business_date(datetime(2026, 12, 1, 16, 0, tzinfo=UTC)) == date(2026, 12, 2)


def test_a_business_day_starts_at_local_midnight():
    start, end = business_time.day_range(date(2026, 12, 2))

    assert start == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert end - start == timedelta(days=1)


def test_a_naive_instant_or_an_unknown_zone_is_refused():
    with pytest.raises(ValueError, match="aware datetime"):
        business_time.business_date(datetime(2026, 12, 1, 17, 0))  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        business_time.configure("Mars/Olympus")
    assert business_time.zone().key == "Asia/Shanghai"  # unchanged by the refused one


def test_the_setting_changes_the_zone_and_events_carry_its_offset(new_york):
    at = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)  # 22:00 on June 30th in New York (daylight saving)

    assert business_time.business_date(at) == date(2026, 6, 30)
    assert zone.event_time_zone_offset(at) == "-04:00"
    assert zone.event_time_zone_offset(datetime(2026, 12, 1, 17, 0, tzinfo=UTC)) == "-05:00"


def test_an_event_in_shanghai_carries_plus_eight_whatever_zone_its_time_is_written_in():
    at = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)

    assert zone.event_time_zone_offset(at) == "+08:00"
    assert zone.event_time_zone_offset(at.astimezone(timezone(timedelta(hours=-3)))) == "+08:00"


def test_the_settings_refuse_an_unknown_zone():
    from pydantic import ValidationError

    from lotline.config import Settings

    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(business_time_zone="Asia/Shanghia")
    assert Settings().business_time_zone == "Asia/Shanghai"
