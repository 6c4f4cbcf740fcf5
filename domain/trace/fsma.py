"""FSMA 204 (21 CFR 1 subpart S): map our EPCIS events onto rows of the FDA electronic sortable spreadsheet.

Pure mapping from event dicts to ``dict[column, str]`` rows in :data:`FSMA_COLUMNS` order; writing CSV /
XLSX is someone else's job. Events that are not Critical Tracking Events (inspections, holds…) give no
rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote

FSMA_COLUMNS: tuple[str, ...] = (
    "Traceability Lot Code",
    "Traceability Lot Code Source Location",
    "Traceability Lot Code Source Reference",
    "Product Description",
    "Quantity",
    "Unit of Measure",
    "Critical Tracking Event",
    "Input or Output",
    "Event Date",
    "Location Description",
    "Location Identifier",
    "Ship From Location",
    "Ship To Location",
    "Reference Document Type",
    "Reference Document Number",
    "Event ID",
)

RECEIVING = "Receiving"
SHIPPING = "Shipping"
TRANSFORMATION = "Transformation"
INITIAL_PACKING = "Initial Packing"

#: CBV business step -> FSMA Critical Tracking Event for ObjectEvents.
CTE_BY_BIZ_STEP: Mapping[str, str] = {
    "receiving": RECEIVING,
    "arriving": RECEIVING,
    "accepting": RECEIVING,
    "shipping": SHIPPING,
    "departing": SHIPPING,
    "commissioning": INITIAL_PACKING,
    "packing": INITIAL_PACKING,
}
REFERENCE_DOCUMENT_TYPES: Mapping[str, str] = {
    "po": "Purchase Order",
    "urn:lotline:btt:so": "Sales Order",
    "desadv": "Advance Shipping Notice",
    "recadv": "Receiving Advice",
    "inv": "Invoice",
    "bol": "Bill of Lading",
    "prodorder": "Production Order",
    "rma": "Return Merchandise Authorisation",
}
#: UN/CEFACT code -> the unit written in the spreadsheet.
UNIT_NAMES: Mapping[str, str] = {
    "KGM": "kg",
    "GRM": "g",
    "LTR": "L",
    "H87": "each",
    "XBX": "box",
    "XCS": "case",
}

_DL_LOT = re.compile(r"https://id\.gs1\.org/01/(\d{14})/10/([^/?#]+)")
_PRIVATE_LOT = re.compile(r"urn:lotline:class:([^:]+):(.+)")
_PRIVATE_BT = re.compile(r"urn:lotline:bt:([^:]+):(.+)")


def lot_code(epc_class: str) -> tuple[str, str]:
    """(Traceability Lot Code, product key) of an epcClass: ``(01)…(10)…`` for LGTINs, else our lot."""
    if match := _DL_LOT.fullmatch(epc_class):
        gtin, lot = match.group(1), unquote(match.group(2))
        return f"(01){gtin}(10){lot}", gtin
    if match := _PRIVATE_LOT.fullmatch(epc_class):
        return unquote(match.group(2)), unquote(match.group(1))
    return epc_class, epc_class


def cte_of(event: Mapping[str, Any]) -> str | None:
    """The Critical Tracking Event an event records, or None when it records none."""
    if event.get("type") == "TransformationEvent":
        return TRANSFORMATION
    if event.get("type") != "ObjectEvent":
        return None
    step = str(event.get("bizStep", "")).rsplit("BizStep-", 1)[-1]
    cte = CTE_BY_BIZ_STEP.get(step)
    if cte == INITIAL_PACKING and event.get("action") != "ADD":
        return None
    return cte


def _party(entries: Any, names: Mapping[str, str]) -> str:
    if not isinstance(entries, list) or not entries:
        return ""
    preference = ("location", "possessing_party", "owning_party")
    ranked = sorted(entries, key=lambda e: preference.index(e["type"]) if e.get("type") in preference else 3)
    first = ranked[0]
    uri = str(first.get("source") or first.get("destination") or "")
    return names.get(uri, uri)


def _reference(event: Mapping[str, Any]) -> tuple[str, str]:
    transactions = event.get("bizTransactionList") or []
    if not transactions:
        return "", ""
    first = transactions[0]
    kind = str(first.get("type", ""))
    uri = str(first.get("bizTransaction", ""))
    number = unquote(match.group(2)) if (match := _PRIVATE_BT.fullmatch(uri)) else uri
    return REFERENCE_DOCUMENT_TYPES.get(kind, kind), number


def fsma_rows(
    events: Iterable[Mapping[str, Any]],
    product_descriptions: Mapping[str, str] | None = None,
    location_names: Mapping[str, str] | None = None,
    tlc_sources: Mapping[str, str] | None = None,
) -> list[dict[str, str]]:
    """Sortable-spreadsheet rows (one per lot and event) for every CTE among ``events``.

    ``product_descriptions`` maps a product key (GTIN or SKU code) to its description; ``location_names``
    maps location / party URIs to names; ``tlc_sources`` maps an epcClass to the location that assigned its
    lot code (for initial packing and transformation outputs the event's own location is the default).
    """
    descriptions = product_descriptions or {}
    names = location_names or {}
    sources = tlc_sources or {}
    rows: list[dict[str, str]] = []
    for event in events:
        cte = cte_of(event)
        if cte is None:
            continue
        location = str((event.get("bizLocation") or event.get("readPoint") or {}).get("id", ""))
        doc_type, doc_number = _reference(event)
        lines: list[tuple[str, Mapping[str, Any]]]
        if cte == TRANSFORMATION:
            lines = [("Input", q) for q in event.get("inputQuantityList", [])]
            lines += [("Output", q) for q in event.get("outputQuantityList", [])]
        else:
            lines = [("", q) for q in event.get("quantityList", [])]
        for role, quantity in lines:
            epc_class = str(quantity["epcClass"])
            tlc, product = lot_code(epc_class)
            assigns_lot = cte == INITIAL_PACKING or role == "Output"
            source = sources.get(epc_class) or (location if assigns_lot else "")
            values = (
                tlc,
                names.get(source, source),
                source,
                descriptions.get(product, product),
                str(quantity.get("quantity", "")),
                UNIT_NAMES.get(str(quantity.get("uom", "")), str(quantity.get("uom", ""))),
                cte,
                role,
                str(event.get("eventTime", ""))[:10],
                names.get(location, location),
                location,
                _party(event.get("sourceList"), names),
                _party(event.get("destinationList"), names),
                doc_type,
                doc_number,
                str(event.get("eventID", "")),
            )
            rows.append(dict(zip(FSMA_COLUMNS, values, strict=True)))
    return rows
