"""Sensor readings as postings take them, and the alert acknowledgement."""

from datetime import datetime
from decimal import Decimal

import strawberry

from api import relay as rl
from domain.quality import rules


@strawberry.input(description="One cold-chain reading of the goods, recorded in the posting's EPCIS event.")
class SensorReadingInput:
    kind: str = strawberry.field(description="temperature (°C) or humidity (% relative humidity).")
    value: Decimal
    time: datetime | None = strawberry.field(default=None, description="With its zone; null: the posting's.")
    device_id: str | None = None


def readings(items: list[SensorReadingInput]) -> list[rules.SensorReadingInput]:
    """Translated as they are: the posting checks them and names a bad one ``sensorReadings.<i>.<field>``."""
    rl.cap_lines(items, ("sensorReadings",))
    return [rules.SensorReadingInput(r.kind, r.value, r.time, r.device_id) for r in items]


@strawberry.input
class BatchAlertAcknowledgeInput:
    alert_id: strawberry.ID
    note: str = ""

    def id(self) -> int:
        return rl.decode_id(self.alert_id, "BatchAlert", ("alertId",))
