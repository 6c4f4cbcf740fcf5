"""Business dates: the one place that turns an instant into the company's calendar day.

Every business date (expiry checks, journal dates and periods, ageing, counts, "today" in queries) is the
date of an aware instant in one configured business time zone (``LOTLINE_BUSINESS_TIME_ZONE``, an IANA name,
default ``Asia/Shanghai``): at 2026-12-01 17:00 UTC it is already 2026-12-02 in Shanghai, and a lot whose
expiry date is 2026-12-01 is expired. ``datetime.date()`` of a UTC instant and ``date.today()`` are never
business dates.

One zone for the whole company, not one per warehouse: the books need one calendar (a period closes on one
midnight), and a Chinese company's warehouses share China Standard Time. The composition root calls
``configure`` once per process from the settings; until then the default applies.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"

_zone = ZoneInfo(DEFAULT_ZONE)


def parse_zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (``Asia/Shanghai``); ``ValueError`` names an unknown or malformed one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai)") from exc


def configure(name: str) -> ZoneInfo:
    """Sets the process's business time zone (called by the composition root from the settings)."""
    global _zone  # one process-wide setting, like the database connection
    _zone = parse_zone(name)
    return _zone


def zone() -> ZoneInfo:
    """The configured business time zone."""
    return _zone


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("business dates need an aware datetime (with a time zone)")
    return at


def local(at: datetime) -> datetime:
    """``at`` as wall-clock time in the business zone (same instant)."""
    return _aware(at).astimezone(_zone)


def business_date(at: datetime) -> date:
    """The business day an instant belongs to."""
    return local(at).date()


def business_today(now: datetime) -> date:
    """Today in the business zone, for the clock reading ``now`` (pass the clock; never ``date.today()``)."""
    return business_date(now)


def day_start(day: date) -> datetime:
    """The first instant of business day ``day`` (aware, in the business zone)."""
    return datetime.combine(day, time(0), tzinfo=_zone)


def day_range(day: date) -> tuple[datetime, datetime]:
    """``[start, end)`` of business day ``day``, for filtering timestamps by business date."""
    return day_start(day), day_start(day + timedelta(days=1))
