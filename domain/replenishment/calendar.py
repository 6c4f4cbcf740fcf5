"""Calendar covariates per ISO week: Chinese public holidays and adjusted working days (调休), pure.

From the ``holidays`` package (``holidays.China``, which lists the State Council's holidays and, through
``holidays.financial``-style ``workdays``, the weekend days made working days). Per week (named by its
Monday) we give the number of public-holiday days, the number of adjusted working weekend days and a flag for
the Spring Festival week, the biggest demand shift in Chinese retail. No I/O, no clock.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays


@dataclass(frozen=True)
class WeekCalendar:
    week_start: date
    holiday_days: int  # public holidays (法定节假日) falling in the week, weekends included
    adjusted_workdays: int  # weekend days declared working days (调休上班)
    spring_festival: bool


@cache
def _china(year: int) -> tuple[dict[date, str], frozenset[date]]:
    cal = holidays.country_holidays("CN", years=year, language="en_US")
    names = dict(cal.items())
    workdays = frozenset(getattr(cal, "weekend_workdays", ()) or ())
    return names, workdays


def day_info(day: date) -> tuple[str | None, bool]:
    """(holiday name or None, is an adjusted working weekend day)."""
    names, workdays = _china(day.year)
    return names.get(day), day in workdays


def week_calendar(monday: date) -> WeekCalendar:
    holiday_days = adjusted = 0
    spring = False
    for i in range(7):
        name, workday = day_info(monday + timedelta(days=i))
        if name is not None:
            holiday_days += 1
            spring = spring or "Spring Festival" in name or "Chinese New Year" in name
        adjusted += int(workday)
    return WeekCalendar(monday, holiday_days, adjusted, spring)
