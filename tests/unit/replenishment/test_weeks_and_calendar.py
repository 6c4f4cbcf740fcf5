"""Weekly demand buckets, stock-out censoring, Chinese holiday weeks and the weather file provider."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.common.errors import ValidationError
from domain.replenishment import calendar, promotions, weather, weeks
from domain.replenishment.models import Promotion

D = Decimal


def test_a_sale_late_on_sunday_utc_counts_in_the_next_shanghai_week():
    # 2025-03-09 is a Sunday; 17:00 UTC is 01:00 Monday 2025-03-10 in Shanghai.
    sales = [(datetime(2025, 3, 9, 17, 0, tzinfo=UTC), D(4)), (datetime(2025, 3, 9, 15, 0, tzinfo=UTC), D(1))]
    result = weeks.weekly_demand(sales, [], date(2025, 3, 3), date(2025, 3, 10), opening_stock=D(100))
    assert [(w.week_start, w.quantity) for w in result] == [
        (date(2025, 3, 3), D(1)),
        (date(2025, 3, 10), D(4)),
    ]
    assert [(w.iso_year, w.iso_week) for w in result] == [(2025, 10), (2025, 11)]


def test_the_same_sales_bucket_by_utc_when_the_zone_says_so():
    sales = [(datetime(2025, 3, 9, 17, 0, tzinfo=UTC), D(4))]
    result = weeks.weekly_demand(sales, [], date(2025, 3, 3), date(2025, 3, 10), D(9), time_zone="UTC")
    assert [w.quantity for w in result] == [D(4), D(0)]


def test_every_week_is_present_and_a_week_without_stock_is_censored_not_zero_demand():
    t = lambda d: datetime(2025, 1, d, 4, tzinfo=UTC)  # noqa: E731
    changes = [(t(6), D(10)), (t(8), D(-10)), (t(22), D(5))]  # sold out Wed of week 2, restocked in week 4
    sales = [(t(8), D(10)), (t(23), D(2))]
    result = weeks.weekly_demand(sales, changes, date(2025, 1, 6), date(2025, 1, 27))
    assert [(w.quantity, w.censored) for w in result] == [
        (D(10), True),  # ran out during the week
        (D(0), True),  # started and stayed at zero: censored, not zero demand
        (D(2), True),  # Monday and Tuesday closed empty; restocked on Wednesday
        (D(0), False),  # stock all week
    ]


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        weeks.weekly_demand([(datetime(2025, 1, 1), D(1))], [], date(2025, 1, 1), date(2025, 1, 1))  # noqa: DTZ001


def test_spring_festival_2025_week_has_holidays_and_the_adjusted_working_sunday_before_it():
    festival = calendar.week_calendar(date(2025, 1, 27))  # Jan 28 eve .. Jan 31
    assert festival.spring_festival
    assert festival.holiday_days >= 3
    before = calendar.week_calendar(date(2025, 1, 20))  # Sunday Jan 26 is a working day (调休)
    assert before.adjusted_workdays == 1
    assert not before.spring_festival
    assert calendar.week_calendar(date(2025, 3, 10)) == calendar.WeekCalendar(date(2025, 3, 10), 0, 0, False)


def test_weather_csv_and_json_give_the_same_readings_on_the_week_monday():
    csv_text = "region,week_start,value\nSH,2025-07-09,1.25\nBJ,2025-07-07,0.9\n"
    json_text = (
        '[{"region": "SH", "week_start": "2025-07-07", "value": 1.25},'
        ' {"region": "BJ", "week_start": "2025-07-07", "value": "0.9"}]'
    )
    from_csv = weather.FileWeatherProvider(csv_text, "csv").readings()
    from_json = weather.FileWeatherProvider(json_text, "json").readings()
    assert from_csv == from_json
    assert from_csv[0] == weather.WeatherReading("SH", date(2025, 7, 7), D("1.2500"))


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("region,week_start,value\n,2025-07-07,1\n", ("0", "region")),
        ("region,week_start,value\nSH,07/07/2025,1\n", ("0", "weekStart")),
        ("region,week_start,value\nSH,2025-07-07,abc\n", ("0", "value")),
        ("region,week_start,value\nSH,2025-07-07,1\nSH,2025-07-14,-1\n", ("1", "value")),
    ],
)
def test_a_bad_weather_row_is_a_validation_error_naming_row_and_field(text, path):
    with pytest.raises(ValidationError) as caught:
        weather.FileWeatherProvider(text, "csv").readings()
    assert caught.value.path == path


def test_weather_json_that_is_not_a_list_of_objects_is_refused():
    with pytest.raises(ValidationError, match="list of objects"):
        weather.FileWeatherProvider('{"region": "SH"}', "json").readings()


def test_promotion_weeks_take_the_deepest_discount_and_count_promotion_days():
    rows = [
        Promotion(starts_on=date(2025, 6, 14), ends_on=date(2025, 6, 18), discount=D("0.1")),
        Promotion(starts_on=date(2025, 6, 18), ends_on=date(2025, 6, 18), discount=D("0.3")),
    ]
    result = promotions.promo_weeks(rows, [date(2025, 6, 9), date(2025, 6, 16), date(2025, 6, 23)])
    assert result[date(2025, 6, 9)] == promotions.PromoWeek(D("0.1"), 2)
    assert result[date(2025, 6, 16)] == promotions.PromoWeek(D("0.3"), 3)
    assert result[date(2025, 6, 23)] == promotions.PromoWeek(D(0), 0)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"name": " "}, ("name",)),
        ({"sku_code": None}, ("skuCode",)),
        ({"category_code": "C"}, ("skuCode",)),
        ({"ends_on": date(2025, 5, 31)}, ("endsOn",)),
        ({"discount": D(1)}, ("discount",)),
        ({"discount": D(0)}, ("discount",)),
        ({"ends_on": date(2026, 6, 2)}, ("endsOn",)),
    ],
)
def test_a_bad_promotion_names_its_field(change, path):
    base = {"name": "618", "starts_on": date(2025, 6, 1), "ends_on": date(2025, 6, 18), "discount": D("0.2")}
    data = promotions.PromotionInput(**{"sku_code": "S", **base, **change})
    with pytest.raises(ValidationError) as caught:
        promotions.check(data)
    assert caught.value.path == path
