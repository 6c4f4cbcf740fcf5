"""Weather index per region and ISO week, behind a provider interface; files today, an API tomorrow.

A provider yields ``WeatherReading(region, week_start, value)``: ``value`` is an index (Decimal, 1 = normal
for the region and season; 1.2 = a hot week that lifts cold drinks). ``FileWeatherProvider`` reads CSV
(``region,week_start,value`` header) or JSON (a list of objects with those keys); a public meteorological
API (e.g. 中国气象局 open data) fits the same ``WeatherProvider`` protocol without changing the importer. No
network here. Errors: ``ValidationError`` naming the row and field of bad input; imports are all or nothing.
"""

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

from tortoise.transactions import in_transaction

from domain.common import services
from domain.common.errors import ValidationError
from domain.replenishment.models import WeatherIndex
from domain.replenishment.weeks import week_start

MAX_REGION = 32


@dataclass(frozen=True)
class WeatherReading:
    region: str
    week_start: date
    value: Decimal


class WeatherProvider(Protocol):
    name: str

    def readings(self) -> Iterable[WeatherReading]: ...


def parse_row(row: dict[str, Any], index: int) -> WeatherReading:
    region = str(row.get("region") or "").strip()
    if not region or len(region) > MAX_REGION:
        raise ValidationError(
            f"row {index}: region must be 1..{MAX_REGION} characters", (str(index), "region")
        )
    try:
        day = date.fromisoformat(str(row.get("week_start") or ""))
    except ValueError:
        raise ValidationError(
            f"row {index}: week_start must be a date YYYY-MM-DD", (str(index), "weekStart")
        ) from None
    try:
        value = Decimal(str(row.get("value")))
    except InvalidOperation:
        raise ValidationError(f"row {index}: value must be a number", (str(index), "value")) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError(f"row {index}: value must be within 0..100", (str(index), "value"))
    return WeatherReading(region, week_start(day), value.quantize(Decimal("0.0001")))


class FileWeatherProvider:
    """Readings from a CSV or JSON text (``kind`` "csv" or "json")."""

    def __init__(self, text: str, kind: str, name: str = "file") -> None:
        if kind not in {"csv", "json"}:
            raise ValidationError("kind must be csv or json", ("kind",))
        self.text, self.kind, self.name = text, kind, name

    @classmethod
    def from_path(cls, path: Path) -> "FileWeatherProvider":
        return cls(path.read_text(encoding="utf-8"), path.suffix.lstrip(".").lower(), path.name)

    def readings(self) -> list[WeatherReading]:
        if self.kind == "csv":
            rows: list[Any] = list(csv.DictReader(io.StringIO(self.text)))
        else:
            try:
                rows = json.loads(self.text)
            except json.JSONDecodeError as exc:
                raise ValidationError(f"not JSON: {exc.msg} at line {exc.lineno}", ()) from None
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ValidationError("JSON must be a list of objects", ())
        return [parse_row(row, i) for i, row in enumerate(rows)]


async def weather_import(provider: WeatherProvider) -> int:
    """Upserts every reading (the last for a region × week wins); returns how many rows were written."""
    latest = {(r.region, r.week_start): r for r in provider.readings()}
    async with in_transaction():
        for (region, monday), r in sorted(latest.items()):
            await WeatherIndex.update_or_create(
                region=region, week_start=monday, defaults={"value": r.value, "source": provider.name[:64]}
            )
    return len(latest)


MAX_ROWS = 50_000  # ten years of weekly readings for ~100 regions


@dataclass(frozen=True)
class WeatherUpload:
    rows: int
    regions: tuple[str, ...]
    first_week: date | None
    last_week: date | None
    replayed: bool = False


async def weather_upload(text: str, kind: str, source: str, key: str | None = None) -> WeatherUpload:
    """Imports an uploaded CSV / JSON file (``FileWeatherProvider``) all or nothing, idempotent by key.

    The key's request is the file's text, kind and source: the same file replays (its readings are already
    stored; nothing is written again), another file under the same key is a ``Conflict``. Errors:
    ``ValidationError`` naming the row and field, or more than ``MAX_ROWS`` readings.
    """
    fmt, name = kind.strip().lower(), source.strip()[:64] or "upload"
    readings = FileWeatherProvider(text, fmt, name).readings()
    if len(readings) > MAX_ROWS:
        raise ValidationError(f"at most {MAX_ROWS} readings per file", ("content",))
    mondays = sorted({r.week_start for r in readings})
    summary = WeatherUpload(
        len({(r.region, r.week_start) for r in readings}),
        tuple(sorted({r.region for r in readings})),
        mondays[0] if mondays else None,
        mondays[-1] if mondays else None,
    )

    async def body() -> services.Posted:
        # The key's fingerprint is what this closes over: the text, format and source (all plain values).
        written = await weather_import(FileWeatherProvider(text, fmt, name))
        return services.Posted("WeatherImport", written, f"WX-{written}")

    posted = await services.posting("weather_import", key, body)
    return replace(summary, replayed=posted.replayed)


async def weather_by_week(region: str, first: date, last: date) -> dict[date, Decimal]:
    rows = await WeatherIndex.filter(region=region, week_start__gte=first, week_start__lte=last)
    return {r.week_start: r.value for r in rows}
