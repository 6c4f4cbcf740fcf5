"""Cold-chain rules: which sensor readings a posting accepts, and which of them break a SKU's allowed range.

Pure: dataclasses and ``Decimal``; the services load the SKUs and write the alerts.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from domain.common.errors import ValidationError

MAX_READINGS = 200  # per posting: a logger's summary, not its raw trace
MAX_DEVICE_ID = 128
PATH = "sensorReadings"


class SensorKind(StrEnum):
    TEMPERATURE = "temperature"  # °C
    HUMIDITY = "humidity"  # % relative humidity


class AlertKind(StrEnum):
    TEMPERATURE_HIGH = "temperature_high"
    TEMPERATURE_LOW = "temperature_low"
    HUMIDITY_HIGH = "humidity_high"


UNITS: dict[str, str] = {SensorKind.TEMPERATURE: "°C", SensorKind.HUMIDITY: "%RH"}
#: Physically possible values; anything outside is a broken logger or a typo, refused.
PLAUSIBLE: dict[str, tuple[Decimal, Decimal]] = {
    SensorKind.TEMPERATURE: (Decimal("-273.15"), Decimal(1000)),
    SensorKind.HUMIDITY: (Decimal(0), Decimal(100)),
}


@dataclass(frozen=True)
class SensorReadingInput:
    """A reading a posting carries: ``kind`` temperature (°C) or humidity (% RH), when, from which device."""

    kind: str
    value: Decimal
    time: datetime | None = None  # None: the posting's time
    device_id: str | None = None


@dataclass(frozen=True)
class Limits:
    """A SKU's allowed storage range; None: no limit on that side."""

    temperature_min: Decimal | None = None
    temperature_max: Decimal | None = None
    humidity_max: Decimal | None = None


@dataclass(frozen=True)
class Excursion:
    kind: AlertKind
    value: Decimal
    limit: Decimal


def check_readings(readings: Sequence[SensorReadingInput]) -> None:
    """Refuses the first bad reading, naming its field (``sensorReadings.<i>.<field>``)."""
    if len(readings) > MAX_READINGS:
        raise ValidationError(f"at most {MAX_READINGS} sensor readings per posting", (PATH,))
    known = sorted(k.value for k in SensorKind)
    for i, r in enumerate(readings):
        path = (PATH, str(i))
        if r.kind not in known:
            raise ValidationError(f"sensor reading kind is one of {known}, not {r.kind!r}", (*path, "kind"))
        if not isinstance(r.value, Decimal) or not r.value.is_finite():
            raise ValidationError("a sensor reading's value must be a finite number", (*path, "value"))
        low, high = PLAUSIBLE[r.kind]
        if not (low <= r.value <= high):
            raise ValidationError(
                f"a {r.kind} reading lies between {low} and {high} {UNITS[r.kind]}", (*path, "value")
            )
        if r.time is not None and (r.time.tzinfo is None or r.time.utcoffset() is None):
            raise ValidationError("a sensor reading's time needs its time zone", (*path, "time"))
        if r.device_id is not None and not (0 < len(r.device_id.strip()) <= MAX_DEVICE_ID):
            raise ValidationError(f"a device ID has 1..{MAX_DEVICE_ID} characters", (*path, "deviceId"))


def excursion(reading: SensorReadingInput, limits: Limits) -> Excursion | None:
    """How the reading breaks the range, if it does (a limit reached exactly is still within it)."""
    if reading.kind == SensorKind.TEMPERATURE:
        if limits.temperature_max is not None and reading.value > limits.temperature_max:
            return Excursion(AlertKind.TEMPERATURE_HIGH, reading.value, limits.temperature_max)
        if limits.temperature_min is not None and reading.value < limits.temperature_min:
            return Excursion(AlertKind.TEMPERATURE_LOW, reading.value, limits.temperature_min)
    elif (
        reading.kind == SensorKind.HUMIDITY
        and limits.humidity_max is not None
        and reading.value > limits.humidity_max
    ):
        return Excursion(AlertKind.HUMIDITY_HIGH, reading.value, limits.humidity_max)
    return None
