"""Where our events happen in time: ``eventTimeZoneOffset`` is the business time zone's offset.

EPCIS 2.0 (§7.3.6) asks for "the time zone offset in effect at the time and place the event occurred". Our
warehouses keep the company's business time zone (``domain.common.business_time``, ``Asia/Shanghai`` by
default), so an event posted at 17:00 UTC carries ``+08:00`` whatever zone its ``eventTime`` is written in.
"""

from datetime import datetime

from domain.common import business_time
from domain.trace import epcis


def event_time_zone_offset(moment: datetime) -> str:
    """``+08:00`` for an aware ``moment`` in Shanghai time (the offset in force at that instant, so a zone
    with daylight saving gives the right one for the date); ``ValueError`` for a naive one."""
    return epcis.timezone_offset(business_time.local(moment))
