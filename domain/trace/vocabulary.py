"""The vocabularies Lotline's EPCIS 2.0 events use: CBV 2.0 business steps, dispositions, business
transaction and source/destination types (bare CBV names, as EPCIS JSON-LD writes them), UN/CEFACT units of
measure and GS1 sensor measurement types. A value outside a list passes only as a URI of a private vocabulary.

Errors: ``errors.EventBuildError`` for an unknown value.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from domain.trace import errors


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


def uom_code(unit: str) -> str:
    """UN/CEFACT code of one of our units (``kg`` -> ``KGM``); a UN/CEFACT code passes as it is."""
    code = UOM_CODES.get(unit.lower())
    if code is not None:
        return code
    if unit.isascii() and unit.isalnum() and unit.isupper() and len(unit) in (2, 3):
        return unit
    raise errors.EventBuildError(f"unknown unit of measure {unit!r}")


def check(value: str, known: frozenset[str], what: str) -> str:
    if value in known or ":" in value:  # a CBV short name, or a URI of a private vocabulary
        return value
    raise errors.EventBuildError(f"unknown {what} {value!r}")
