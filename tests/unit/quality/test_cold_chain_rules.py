"""Which sensor readings a posting accepts, and which of them break a SKU's range (pure, no database)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.common.errors import ValidationError
from domain.quality import rules
from domain.trace import builders

CHILLED = rules.Limits(Decimal(0), Decimal(4), Decimal(95))
AT = datetime(2030, 6, 3, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("temperature", "4", None),  # a limit reached is still within the range
        ("temperature", "0", None),
        ("temperature", "4.01", (rules.AlertKind.TEMPERATURE_HIGH, Decimal(4))),
        ("temperature", "-0.5", (rules.AlertKind.TEMPERATURE_LOW, Decimal(0))),
        ("humidity", "95", None),
        ("humidity", "96", (rules.AlertKind.HUMIDITY_HIGH, Decimal(95))),
    ],
)
def test_an_excursion_names_its_kind_and_the_limit_it_broke(kind, value, expected) -> None:
    found = rules.excursion(rules.SensorReadingInput(kind, Decimal(value)), CHILLED)

    assert (None if found is None else (found.kind, found.limit)) == expected


def test_a_sku_without_limits_never_alerts() -> None:
    assert rules.excursion(rules.SensorReadingInput("temperature", Decimal(40)), rules.Limits()) is None


def test_the_first_bad_reading_is_named_by_index_and_field() -> None:
    good = rules.SensorReadingInput("temperature", Decimal(2), AT, "T1")
    with pytest.raises(ValidationError) as caught:
        rules.check_readings([good, good, rules.SensorReadingInput("temperature", Decimal("-300"))])

    assert caught.value.path == ("sensorReadings", "2", "value")


def test_a_plain_device_name_becomes_a_private_urn_and_a_uri_passes_as_it_is() -> None:
    assert builders.device_uri("TRUCK 12") == "urn:lotline:device:TRUCK%2012"
    assert builders.device_uri("urn:epc:id:giai:4000001.12") == "urn:epc:id:giai:4000001.12"
