"""Build Lotline's own EPCIS 2.0 events (as JSON-LD dicts) from plain dataclasses; no ORM, no clock.

Every built event carries ``eventID`` = its EPCIS Event Hash ID, computed over everything else.
Identifiers: GS1 Digital Link when a GTIN / GLN is known, else private URNs ``urn:lotline:class:<sku>:<lot>``,
``urn:lotline:loc:<code>``, ``urn:lotline:party:<code>``, ``urn:lotline:bt:<type>:<number>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from domain.trace import digital_link, epcis, errors, event_hash, zone


class Action(StrEnum):
    ADD = "ADD"
    OBSERVE = "OBSERVE"
    DELETE = "DELETE"


#: CBV 2.0 business steps and dispositions we use (bare names, as EPCIS JSON-LD writes them).
BIZ_STEPS = frozenset(
    {
        "accepting",
        "arriving",
        "assembling",
        "commissioning",
        "cycle_counting",
        "decommissioning",
        "departing",
        "destroying",
        "holding",
        "inspecting",
        "loading",
        "packing",
        "picking",
        "receiving",
        "repackaging",
        "shipping",
        "stocking",
        "storing",
        "transporting",
        "unloading",
        "unpacking",
        "void_shipping",
        "other",
    }
)
DISPOSITIONS = frozenset(
    {
        "active",
        "available",
        "conformant",
        "damaged",
        "destroyed",
        "disposed",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "non_conformant",
        "non_sellable_other",
        "recalled",
        "reserved",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "unavailable",
        "unknown",
    }
)
BIZ_TRANSACTION_TYPES = frozenset(
    {
        "bol",
        "cert",
        "desadv",
        "inv",
        "pedigree",
        "po",
        "poc",
        "prodorder",
        "recadv",
        "rma",
        "testprd",
        "testres",
    }
)
#: Our sales order: CBV has no type for the seller's order (``po`` is the buyer's purchase order), so it
#: is a private type, like counts and destructions.
SALES_ORDER = "urn:lotline:btt:so"
SOURCE_DESTINATION_TYPES = frozenset({"owning_party", "possessing_party", "location"})

#: Our unit names -> UN/CEFACT Recommendation 20/21 codes (EPCIS ``uom``).
UOM_CODES: Mapping[str, str] = {
    "kg": "KGM",
    "g": "GRM",
    "t": "TNE",
    "l": "LTR",
    "ml": "MLT",
    "m": "MTR",
    "m3": "MTQ",
    "pcs": "H87",
    "piece": "H87",
    "ea": "H87",
    "each": "H87",
    "box": "XBX",
    "case": "XCS",
    "carton": "XCT",
    "bag": "XBG",
    "bottle": "XBO",
    "can": "XCX",
    "pallet": "XPX",
    "crate": "XCR",
    "dozen": "DZN",
}
#: Sensor reading kinds -> (GS1 measurement type, UN/CEFACT unit).
SENSOR_TYPES: Mapping[str, tuple[str, str]] = {
    "temperature": ("gs1:Temperature", "CEL"),
    "humidity": ("gs1:RelativeHumidity", "P1"),
}


def _segment(value: str) -> str:
    if not value:
        raise errors.EventBuildError("identifier parts must not be empty")
    return quote(value, safe="")


def _gs1_key(value: str, lengths: tuple[int, ...], name: str) -> str:
    if not (value.isascii() and value.isdigit() and len(value) in lengths):
        raise errors.EventBuildError(f"{name} {value!r} must have {' or '.join(map(str, lengths))} digits")
    if digital_link.check_digit(value[:-1]) != value[-1]:
        raise errors.EventBuildError(f"{name} {value!r} has a wrong check digit")
    return value


def uom_code(unit: str) -> str:
    """UN/CEFACT code of one of our units (``kg`` -> ``KGM``); a UN/CEFACT code passes as it is."""
    code = UOM_CODES.get(unit.lower())
    if code is not None:
        return code
    if unit.isascii() and unit.isalnum() and unit.isupper() and len(unit) in (2, 3):
        return unit
    raise errors.EventBuildError(f"unknown unit of measure {unit!r}")


@dataclass(frozen=True, slots=True)
class ProductLot:
    """One lot of one SKU: ``epc_class`` is an LGTIN Digital Link with a GTIN, else a private class URN."""

    sku_code: str
    lot: str
    gtin: str | None = None

    @property
    def epc_class(self) -> str:
        if self.gtin:
            gtin = _gs1_key(self.gtin, (8, 12, 13, 14), "GTIN").zfill(14)
            return f"{digital_link.GS1_RESOLVER}/01/{gtin}/10/{_segment(self.lot)}"
        return f"urn:lotline:class:{_segment(self.sku_code)}:{_segment(self.lot)}"


@dataclass(frozen=True, slots=True)
class QuantityLine:
    product: ProductLot
    quantity: Decimal
    unit: str

    def as_epcis(self) -> dict[str, Any]:
        return {
            "epcClass": self.product.epc_class,
            "quantity": _number(self.quantity),
            "uom": uom_code(self.unit),
        }


@dataclass(frozen=True, slots=True)
class Place:
    """A read point or business location: SGLN (as Digital Link, AI 414 + 254) when its GLN is known."""

    code: str
    gln: str | None = None
    gln_extension: str | None = None

    @property
    def uri(self) -> str:
        if self.gln:
            base = f"{digital_link.GS1_RESOLVER}/414/{_gs1_key(self.gln, (13,), 'GLN')}"
            return base + (f"/254/{_segment(self.gln_extension)}" if self.gln_extension else "")
        return f"urn:lotline:loc:{_segment(self.code)}"


@dataclass(frozen=True, slots=True)
class Party:
    """A source or destination (CBV type ``owning_party``, ``possessing_party`` or ``location``)."""

    type: str
    code: str
    gln: str | None = None

    @property
    def uri(self) -> str:
        if self.type == "location":
            return Place(self.code, self.gln).uri
        if self.gln:
            return f"{digital_link.GS1_RESOLVER}/417/{_gs1_key(self.gln, (13,), 'GLN')}"
        return f"urn:lotline:party:{_segment(self.code)}"


@dataclass(frozen=True, slots=True)
class BizTransaction:
    """A business document reference: CBV type (``po``, ``desadv``, ``inv``…) and our document number."""

    type: str
    number: str

    @property
    def uri(self) -> str:
        return f"urn:lotline:bt:{_segment(self.type)}:{_segment(self.number)}"


@dataclass(frozen=True, slots=True)
class SensorReading:
    kind: str  # a key of SENSOR_TYPES: "temperature" (°C) or "humidity" (% relative humidity)
    value: Decimal
    time: datetime | None = None
    device_id: str | None = None


_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def device_uri(device_id: str) -> str:
    """EPCIS ``deviceID`` is a URI: one passes as it is, a plain logger name becomes
    ``urn:lotline:device:<name>``."""
    if _URI.fullmatch(device_id):
        return device_id
    return f"urn:lotline:device:{_segment(device_id)}"


def _number(value: Decimal) -> int | float:
    """JSON number for a decimal quantity (EPCIS ``decimal`` is a JSON number)."""
    if not value.is_finite():
        raise errors.EventBuildError(f"quantity {value} is not a finite number")
    return int(value) if value == value.to_integral_value() else float(value)


def _vocabulary(value: str, known: frozenset[str], what: str) -> str:
    if value in known or ":" in value:  # a CBV short name, or a URI of a private vocabulary
        return value
    raise errors.EventBuildError(f"unknown {what} {value!r}")


def lot_ilmd(lot: str, expiry: date | None = None, best_before: date | None = None) -> dict[str, str]:
    """Instance/lot master data (CBV ``cbvmda``) for commissioning events."""
    ilmd = {"cbvmda:lotNumber": lot}
    if expiry is not None:
        ilmd["cbvmda:itemExpirationDate"] = expiry.isoformat()
    if best_before is not None:
        ilmd["cbvmda:bestBeforeDate"] = best_before.isoformat()
    return ilmd


def _sensor_elements(readings: Sequence[SensorReading]) -> list[dict[str, Any]]:
    reports = []
    for reading in readings:
        if reading.kind not in SENSOR_TYPES:
            raise errors.EventBuildError(f"unknown sensor reading kind {reading.kind!r}")
        measurement, unit = SENSOR_TYPES[reading.kind]
        report: dict[str, Any] = {"type": measurement, "value": _number(reading.value), "uom": unit}
        if reading.time is not None:
            report["time"] = epcis.format_time(reading.time)
        if reading.device_id is not None:
            report["deviceID"] = device_uri(reading.device_id)
        reports.append(report)
    return [{"sensorReport": reports}]


def _common(
    event_type: str,
    event_time: datetime,
    biz_step: str,
    read_point: Place,
    disposition: str | None,
    biz_location: Place | None,
    biz_transactions: Sequence[BizTransaction],
    sources: Sequence[Party],
    destinations: Sequence[Party],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The head (type, time) and the tail (why and where) of an event; the caller puts the what in between."""
    head: dict[str, Any] = {
        "type": event_type,
        "eventTime": epcis.format_time(event_time),
        "eventTimeZoneOffset": zone.event_time_zone_offset(event_time),  # the warehouse's, not UTC
    }
    tail: dict[str, Any] = {"bizStep": _vocabulary(biz_step, BIZ_STEPS, "business step")}
    if disposition is not None:
        tail["disposition"] = _vocabulary(disposition, DISPOSITIONS, "disposition")
    tail["readPoint"] = {"id": read_point.uri}
    if biz_location is not None:
        tail["bizLocation"] = {"id": biz_location.uri}
    if biz_transactions:
        tail["bizTransactionList"] = [
            {
                "type": _vocabulary(t.type, BIZ_TRANSACTION_TYPES, "business transaction type"),
                "bizTransaction": t.uri,
            }
            for t in biz_transactions
        ]
    for key, member, parties in (
        ("sourceList", "source", sources),
        ("destinationList", "destination", destinations),
    ):
        if parties:
            tail[key] = [
                {"type": _vocabulary(p.type, SOURCE_DESTINATION_TYPES, f"{member} type"), member: p.uri}
                for p in parties
            ]
    return head, tail


def _finish(
    event: dict[str, Any],
    tail: Mapping[str, Any],
    sensor_readings: Sequence[SensorReading],
    ilmd: Mapping[str, Any] | None,
) -> dict[str, Any]:
    event.update(tail)
    if sensor_readings:
        event["sensorElementList"] = _sensor_elements(sensor_readings)
    if ilmd:
        event["ilmd"] = dict(ilmd)
    return with_event_id(event)


def with_event_id(event: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``event`` whose ``eventID`` is its EPCIS Event Hash ID (placed first, for readability)."""
    body = {k: v for k, v in event.items() if k != "eventID"}
    return {"eventID": event_hash.event_hash_id(body), **body}


def object_event(
    *,
    event_time: datetime,
    action: Action | str,
    biz_step: str,
    read_point: Place,
    quantities: Sequence[QuantityLine] = (),
    epcs: Sequence[str] = (),
    disposition: str | None = None,
    biz_location: Place | None = None,
    biz_transactions: Sequence[BizTransaction] = (),
    sources: Sequence[Party] = (),
    destinations: Sequence[Party] = (),
    sensor_readings: Sequence[SensorReading] = (),
    ilmd: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An ObjectEvent about lots (class-level ``quantityList``) and/or instances (``epcList``)."""
    if action not in Action.__members__:
        raise errors.EventBuildError(f"unknown action {action!r}")
    if not quantities and not epcs:
        raise errors.EventBuildError("an ObjectEvent needs at least one EPC or one quantity")
    if ilmd and action != Action.ADD:
        raise errors.EventBuildError("ilmd is only allowed on ADD events")
    event, tail = _common(
        "ObjectEvent",
        event_time,
        biz_step,
        read_point,
        disposition,
        biz_location,
        biz_transactions,
        sources,
        destinations,
    )
    if epcs:
        event["epcList"] = list(epcs)
    if quantities:
        event["quantityList"] = [q.as_epcis() for q in quantities]
    event["action"] = str(action)
    return _finish(event, tail, sensor_readings, ilmd)


def transformation_event(
    *,
    event_time: datetime,
    inputs: Sequence[QuantityLine],
    outputs: Sequence[QuantityLine],
    read_point: Place,
    biz_step: str = "commissioning",
    disposition: str | None = "active",
    biz_location: Place | None = None,
    transformation_id: str | None = None,
    biz_transactions: Sequence[BizTransaction] = (),
    sensor_readings: Sequence[SensorReading] = (),
    ilmd: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A TransformationEvent: input lots consumed (``inputQuantityList``) into output lots."""
    if not inputs or not outputs:
        raise errors.EventBuildError("a TransformationEvent needs inputs and outputs")
    event, tail = _common(
        "TransformationEvent",
        event_time,
        biz_step,
        read_point,
        disposition,
        biz_location,
        biz_transactions,
        (),
        (),
    )
    event["inputQuantityList"] = [q.as_epcis() for q in inputs]
    event["outputQuantityList"] = [q.as_epcis() for q in outputs]
    if transformation_id is not None:
        event["transformationID"] = transformation_id
    return _finish(event, tail, sensor_readings, ilmd)
