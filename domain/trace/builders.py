"""Build Lotline's own EPCIS 2.0 events (as JSON-LD dicts) from plain dataclasses; no ORM, no clock.

Every built event carries ``eventID`` = its EPCIS Event Hash ID, computed over everything else.
Identifiers: GS1 Digital Link when a GTIN / GLN is known, else private URNs ``urn:lotline:class:<sku>:<lot>``,
``urn:lotline:loc:<code>``, ``urn:lotline:party:<code>``, ``urn:lotline:bt:<type>:<number>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from domain.trace import epcis, errors, event_hash, vocabulary, zone
from domain.trace.identifiers import (
    BizTransaction,
    Party,
    Place,
    QuantityLine,
    SensorReading,
    device_uri,
    number,
)
from domain.trace.identifiers import ProductLot as ProductLot  # re-exported: the builders' inputs
from domain.trace.vocabulary import Action
from domain.trace.vocabulary import uom_code as uom_code

#: Our sales order as a business transaction type (see ``vocabulary.SALES_ORDER``).
SALES_ORDER = vocabulary.SALES_ORDER

__all__ = [
    "Action",
    "BizTransaction",
    "Party",
    "Place",
    "ProductLot",
    "QuantityLine",
    "SensorReading",
    "device_uri",
    "lot_ilmd",
    "object_event",
    "transformation_event",
    "uom_code",
    "with_event_id",
]


_PARTY_TYPES = vocabulary.SOURCE_DESTINATION_TYPES
_TRANSACTION_TYPES = vocabulary.BIZ_TRANSACTION_TYPES


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
        if reading.kind not in vocabulary.SENSOR_TYPES:
            raise errors.EventBuildError(f"unknown sensor reading kind {reading.kind!r}")
        measurement, unit = vocabulary.SENSOR_TYPES[reading.kind]
        report: dict[str, Any] = {"type": measurement, "value": number(reading.value), "uom": unit}
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
    tail: dict[str, Any] = {"bizStep": vocabulary.check(biz_step, vocabulary.BIZ_STEPS, "business step")}
    if disposition is not None:
        tail["disposition"] = vocabulary.check(disposition, vocabulary.DISPOSITIONS, "disposition")
    tail["readPoint"] = {"id": read_point.uri}
    if biz_location is not None:
        tail["bizLocation"] = {"id": biz_location.uri}
    if biz_transactions:
        tail["bizTransactionList"] = [
            {
                "type": vocabulary.check(
                    t.type, vocabulary.BIZ_TRANSACTION_TYPES, "business transaction type"
                ),
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
                {
                    "type": vocabulary.check(p.type, vocabulary.SOURCE_DESTINATION_TYPES, f"{member} type"),
                    member: p.uri,
                }
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
