"""Times on portal pages are business-zone wall clock with their offset, days bare (supplier_portal.web)."""

from datetime import UTC, datetime

import pytest

from supplier_portal import web

pytestmark = pytest.mark.usefixtures("shanghai")


def test_a_time_after_midnight_in_shanghai_shows_the_shanghai_day_and_its_offset() -> None:
    at = datetime(2026, 11, 30, 16, 53, tzinfo=UTC)
    assert web.local(at) == "2026-12-01 00:53 +08:00"
    assert web.TEMPLATES.filters["localday"](at) == "2026-12-01"


def test_nothing_to_show_is_empty() -> None:
    assert web.local(None) == ""
