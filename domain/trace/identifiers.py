"""Identifiers and value objects of Lotline's EPCIS events: product lots (LGTIN Digital Link or a private
class URN), places (SGLN Digital Link or ``urn:lotline:loc:<code>``), parties, business transactions, quantity
lines and sensor readings. Pure: no ORM, no clock.

Errors: ``errors.EventBuildError`` for a malformed GTIN/GLN, an empty identifier part or an unknown unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from domain.common.digits import ascii_digits
from domain.trace import digital_link, errors
from domain.trace.vocabulary import uom_code


def _segment(value: str) -> str:
    if not value:
        raise errors.EventBuildError("identifier parts must not be empty")
    return quote(value, safe="")


def _gs1_key(value: str, lengths: tuple[int, ...], name: str) -> str:
    if not (ascii_digits(value) and len(value) in lengths):
        raise errors.EventBuildError(f"{name} {value!r} must have {' or '.join(map(str, lengths))} digits")
    if digital_link.check_digit(value[:-1]) != value[-1]:
        raise errors.EventBuildError(f"{name} {value!r} has a wrong check digit")
    return value


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
            "quantity": number(self.quantity),
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


def number(value: Decimal) -> int | float:
    """JSON number for a decimal quantity (EPCIS ``decimal`` is a JSON number)."""
    if not value.is_finite():
        raise errors.EventBuildError(f"quantity {value} is not a finite number")
    return int(value) if value == value.to_integral_value() else float(value)
