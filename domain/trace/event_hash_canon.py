"""Canonical values for the EPCIS Event Hash ID (CBV 2.0 section 8.9): field orders and value normalisers.

Holds what the pre-hash string (``event_prehash``) is made of: the standard fields in their canonical order
(``CANONICAL_ORDER``) and the member orders inside quantities, sensor metadata and sensor reports; the fields
left out (``IGNORED_EVENT_FIELDS``, ``COMMENT_KEYS``, the repository namespace ``REPOSITORY_NS``); the CBV
vocabularies bare words expand into; the CURIE prefixes of the packaged GS1 EPCIS 2.0 JSON-LD context
(``default_namespaces``, ``namespaces_of``); and the timestamp (UTC, milliseconds, ``Z``) and number
(trailing zeros dropped) normalisers. Unparsable text is left as it is, never an error.
"""

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any

CBV = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"
#: Namespace of repository-specific fields: ``<prefix>:ignoreFields`` lists fields left out of the hash,
#: and the namespace's own fields are left out too (reference implementation, issue #109).
REPOSITORY_NS = "https://repository-x.example.com/"

#: ``lotline:chain`` (the event's place in its lots' hash chains, see ``integrity``) and ``lotline:capture``
#: (the captured document's own ``@context`` and ``ignoreFields``, see ``capture_meta``) are our repository
#: metadata, like ``recordTime`` not part of the business event: the hash ID leaves them out.
IGNORED_EVENT_FIELDS = frozenset(
    {"type", "eventID", "recordTime", "errorDeclaration", "@context", "lotline:chain", "lotline:capture"}
)
COMMENT_KEYS = frozenset({"#text", "comment", "rdfs:comment"})

QUANTITY_ORDER = ("epcClass", "quantity", "uom")
METADATA_ORDER = (
    "time",
    "startTime",
    "endTime",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "bizRules",
)
REPORT_ORDER = (
    "type",
    "exception",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "time",
    "microorganism",
    "chemicalSubstance",
    "value",
    "component",
    "stringValue",
    "booleanValue",
    "hexBinaryValue",
    "uriValue",
    "minValue",
    "maxValue",
    "meanValue",
    "sDev",
    "percRank",
    "percValue",
    "uom",
    "coordinateReferenceSystem",
)
SCALARS = ("eventTime", "eventTimeZoneOffset", "certificationInfo", "parentID")
EPC_LISTS = ("epcList", "inputEPCList", "childEPCs")
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList")
#: Standard fields hashed in this order; everything else goes to the sorted remainder.
CANONICAL_ORDER = (
    *SCALARS,
    *EPC_LISTS,
    *QUANTITY_LISTS,
    "outputEPCList",
    "outputQuantityList",
    "action",
    "transformationID",
    "bizStep",
    "disposition",
    "persistentDisposition",
    "readPoint",
    "bizLocation",
    "sensorElementList",
)
TYPED_LISTS = {
    "bizTransactionList": ("bizTransaction", "BTT-"),
    "sourceList": ("source", "SDT-"),
    "destinationList": ("destination", "SDT-"),
}
CBV_URNS = {"bizstep": "BizStep-", "disp": "Disp-", "btt": "BTT-", "sdt": "SDT-", "er": "ER-"}
# re.ASCII: the algorithm's digits are 0-9 (its reference implementation's regular expressions); Python's
# \d also matches "١٢" or "１２", which float() then reads as 12: another hash than other implementations'.
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?", re.ASCII)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_INTEGER = re.compile(r"([+-]?)0*(\d+)", re.ASCII)
BARE_WORD = re.compile(r"[A-Za-z0-9_]+")


EVENT_VOCABULARIES = {"bizStep": CBV + "BizStep-", "disposition": CBV + "Disp-"}
REPORT_VOCABULARIES = {"type": GS1_VOC, "exception": GS1_VOC, "component": CBV + "Comp-"}


@cache
def default_namespaces() -> Mapping[str, str]:
    """CURIE prefixes of the packaged GS1 EPCIS 2.0 JSON-LD context (gs1, cbv, cbvmda, epcis...)."""
    text = resources.files("domain.trace").joinpath("data/epcis-context.jsonld").read_text("utf-8")
    context: dict[str, Any] = json.loads(text)["@context"]
    return {k: v for k, v in context.items() if isinstance(v, str) and not k.startswith("@") and ":" in v}


def namespaces_of(context: Any, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Prefix -> IRI from a ``@context`` (URLs, objects or a list of both) over ``base`` (the defaults);
    a prefix bound to ``null`` is unbound."""
    found = dict(default_namespaces() if base is None else base)
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, dict):
            for key, value in item.items():
                if key.startswith("@"):
                    continue
                if isinstance(value, str):
                    found[key] = value
                elif value is None:
                    found.pop(key, None)
    return found


def normalise_timestamp(value: str) -> str:
    """UTC, milliseconds (half-up on the 4th decimal), ``Z``; unparsable text stays as it is."""
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return value
    base, fraction, zone = match.groups()
    try:
        moment = datetime.fromisoformat(base + (zone or "Z"))
    except ValueError:
        return value
    millis = Decimal("0." + (fraction or "0")).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    moment = moment.astimezone(UTC) + timedelta(milliseconds=int(millis * 1000))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def normalise_number(value: str) -> str:
    """A JSON number without trailing zeros (``1.50`` -> ``1.5``, ``2.0`` -> ``2``); other text unchanged."""
    if not _NUMBER.fullmatch(value):
        return value
    if whole := _INTEGER.fullmatch(value):
        # str(int(value)) read as text: int() refuses more than 4,300 digits, and a number is a number
        sign, digits = whole.groups()
        return digits if sign != "-" or digits == "0" else f"-{digits}"
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)
