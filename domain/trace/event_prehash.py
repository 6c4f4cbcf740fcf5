"""The EPCIS Event Hash ID pre-hash string (CBV 2.0 section 8.9) of one event or of every event of a document.

``prehash_string`` canonicalises one EPCIS 2.0 JSON(-LD) event: ``eventType=<type>``, the standard fields in
``CANONICAL_ORDER``, then the sorted remainder, each value normalised (see ``event_hash_canon`` for the orders
and normalisers, ``event_hash`` for the whole algorithm and where it follows the reference implementation).
``document_prehashes`` does the same for an EPCISDocument or EPCISQueryDocument with its own ``@context``
prefixes and ``ignoreFields``. Malformed members are skipped, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from domain.trace import digital_link
from domain.trace.event_hash_canon import (
    BARE_WORD,
    CANONICAL_ORDER,
    CBV,
    CBV_URNS,
    COMMENT_KEYS,
    EPC_LISTS,
    EVENT_VOCABULARIES,
    IGNORED_EVENT_FIELDS,
    METADATA_ORDER,
    QUANTITY_LISTS,
    QUANTITY_ORDER,
    REPORT_ORDER,
    REPORT_VOCABULARIES,
    REPOSITORY_NS,
    SCALARS,
    TYPED_LISTS,
    default_namespaces,
    namespaces_of,
    normalise_number,
    normalise_timestamp,
)


class _Hasher:
    def __init__(
        self, namespaces: Mapping[str, str], ignore: Collection[str], expanded: frozenset[str] | None = None
    ) -> None:
        self.namespaces = namespaces
        self.ignore = expanded if expanded is not None else frozenset(self.key(k) for k in ignore)

    # -- names and values --
    def key(self, name: str) -> str:
        prefix, sep, local = name.partition(":")
        if sep and prefix in self.namespaces:
            return "{" + self.namespaces[prefix] + "}" + local
        return name

    def value(self, raw: Any, vocabulary: str | None = None) -> str:
        text = ("true" if raw else "false") if isinstance(raw, bool) else str(raw).strip()
        if vocabulary and BARE_WORD.fullmatch(text):
            text = vocabulary + text
        prefix, sep, local = text.partition(":")
        if sep and not local.startswith("//") and prefix in self.namespaces:
            text = self.namespaces[prefix] + local
        urn = re.fullmatch(r"urn:epcglobal:cbv:(bizstep|disp|btt|sdt|er):(.*)", text)
        if urn:
            text = CBV + CBV_URNS[urn.group(1)] + urn.group(2)
        text = normalise_number(text)
        return digital_link.normalise(text) or text

    def pair(self, name: str, raw: Any, vocabulary: str | None = None) -> str:
        if raw is None:
            return ""
        if "time" in name.lower() and "offset" not in name.lower() and isinstance(raw, str):
            text = normalise_timestamp(raw.strip())
        else:
            text = self.value(raw, vocabulary)
        return f"{name}={text}" if text else ""

    # -- generic members (ilmd, extensions, anything not in the canonical order) --
    def generic_parts(self, name: str, raw: Any) -> list[str]:
        if isinstance(raw, list):
            return [part for item in raw for part in self.generic_parts(name, item)]
        if isinstance(raw, dict):
            return [self.key(name) + "".join(self.generic_members(raw))]
        text = self.value(raw) if raw is not None else ""
        return [self.key(name) + (f"={text}" if text else "")]

    def generic_members(self, obj: Mapping[str, Any], skip: Iterable[str] = ()) -> list[str]:
        skipped = set(skip) | COMMENT_KEYS
        parts = [p for k, v in obj.items() if k not in skipped for p in self.generic_parts(k, v)]
        return sorted(parts)

    # -- standard members --
    def ordered(self, obj: Mapping[str, Any], order: Iterable[str], vocabularies: Mapping[str, str]) -> str:
        out = []
        for name in order:
            raw = obj.get(name)
            values = raw if isinstance(raw, list) else [raw]
            out.extend(sorted(self.pair(name, v, vocabularies.get(name)) for v in values))
        return "".join(out) + "".join(self.generic_members(obj, skip=order))

    def quantity_list(self, name: str, items: Any) -> str:
        parts = [
            "quantityElement" + self.ordered(item, QUANTITY_ORDER, {})
            for item in items
            if isinstance(item, dict)
        ]
        return name + "".join(sorted(parts)) if parts else ""

    def epc_list(self, name: str, items: Any) -> str:
        parts = [self.pair("epc", item) for item in items] if isinstance(items, list) else []
        return name + "".join(sorted(p for p in parts if p)) if any(parts) else ""

    def persistent_disposition(self, raw: Any) -> str:
        if not isinstance(raw, dict):
            return ""
        text = self.ordered(raw, ("set", "unset"), {"set": CBV + "Disp-", "unset": CBV + "Disp-"})
        return "persistentDisposition" + text if text else ""

    def location(self, name: str, raw: Any) -> str:
        return name + self.ordered(raw, ("id",), {}) if isinstance(raw, dict) else ""

    def sensor_element_list(self, raw: Any) -> str:
        elements = []
        for element in raw if isinstance(raw, list) else []:
            metadata = element.get("sensorMetadata")
            text = "sensorMetadata" + self.ordered(metadata, METADATA_ORDER, {}) if metadata else ""
            reports = [
                "sensorReport" + self.ordered(r, REPORT_ORDER, REPORT_VOCABULARIES)
                for r in element.get("sensorReport", [])
            ]
            text += "".join(sorted(reports))
            text += "".join(self.generic_members(element, skip=("sensorMetadata", "sensorReport")))
            elements.append("sensorElement" + text)
        return "sensorElementList" + "".join(sorted(elements)) if elements else ""

    def typed_list(self, name: str, raw: Any) -> list[str]:
        member, vocabulary = TYPED_LISTS[name]
        entries = []
        for entry in raw if isinstance(raw, list) else []:
            type_part = self.pair("type", entry.get("type"), CBV + vocabulary)
            entries.append(type_part + self.pair(member, entry.get(member)))
        return [name + "".join(sorted(entries))]

    # -- the event --
    def event(self, event: Mapping[str, Any]) -> str:
        own = event.get("@context")
        if own is not None:  # the event's own context rebinds prefixes for it (ignoreFields stay as expanded)
            inner = {k: v for k, v in event.items() if k != "@context"}
            return _Hasher(namespaces_of(own, self.namespaces), (), self.ignore).event(inner)
        out = [f"eventType={event.get('type', '')}"]
        for name in CANONICAL_ORDER:
            raw = event.get(name)
            if raw is None:
                continue
            if name in SCALARS:
                values = raw if isinstance(raw, list) else [raw]
                out.extend(sorted(self.pair(name, v) for v in values))
            elif name in EPC_LISTS or name == "outputEPCList":
                out.append(self.epc_list(name, raw))
            elif name in QUANTITY_LISTS or name == "outputQuantityList":
                out.append(self.quantity_list(name, raw))
            elif name == "persistentDisposition":
                out.append(self.persistent_disposition(raw))
            elif name in ("readPoint", "bizLocation"):
                out.append(self.location(name, raw))
            elif name == "sensorElementList":
                out.append(self.sensor_element_list(raw))
            else:
                out.append(self.pair(name, raw, EVENT_VOCABULARIES.get(name)))
        rest: list[str] = []
        for name, raw in event.items():
            expanded = self.key(name)
            if name in CANONICAL_ORDER or name in IGNORED_EVENT_FIELDS or name in COMMENT_KEYS:
                continue
            if expanded in self.ignore or expanded.startswith("{" + REPOSITORY_NS + "}"):
                continue
            rest.extend(self.typed_list(name, raw) if name in TYPED_LISTS else self.generic_parts(name, raw))
        return "".join(out) + "".join(sorted(rest))


def prehash_string(
    event: Mapping[str, Any],
    namespaces: Mapping[str, str] | None = None,
    ignore_fields: Collection[str] = (),
) -> str:
    """The canonical pre-hash string of one EPCIS 2.0 JSON(-LD) event.

    ``namespaces`` maps CURIE prefixes to IRIs (see :func:`namespaces_of`); the GS1 context's prefixes are the
    default. ``ignore_fields`` are top-level field names (CURIEs) left out, as listed by ``ignoreFields``.
    """
    return _Hasher(namespaces or default_namespaces(), ignore_fields).event(event)


def document_events(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The events of an EPCISDocument or EPCISQueryDocument, in document order."""
    body = document.get("epcisBody", {})
    if "eventList" in body:
        return list(body["eventList"])
    if "event" in body:
        return [body["event"]]
    return list(body.get("queryResults", {}).get("resultsBody", {}).get("eventList", []))


def document_ignore_fields(document: Mapping[str, Any]) -> list[str]:
    """The fields a document's ``<prefix>:ignoreFields`` (``prefix`` bound to ``REPOSITORY_NS``, at the
    document's top level or in its ``queryResults``) leave out of every event's hash, as written (CURIEs)."""
    namespaces = namespaces_of(document.get("@context", []))
    holders = [document, document.get("epcisBody", {}).get("queryResults", {})]
    ignore: list[str] = []
    for holder in holders:
        for name, value in holder.items():
            prefix, _, local = name.partition(":")
            if (
                local == "ignoreFields"
                and namespaces.get(prefix) == REPOSITORY_NS
                and isinstance(value, list)
            ):
                ignore.extend(str(v) for v in value)
    return ignore


def expand_key(name: str, namespaces: Mapping[str, str]) -> str:
    """A field name as the hash compares it: ``{IRI}local`` for a bound CURIE, else the name itself."""
    return _Hasher(namespaces, ()).key(name)


def document_prehashes(document: Mapping[str, Any]) -> list[str]:
    """Pre-hash strings of every event of a document, with its own @context prefixes and ``ignoreFields``."""
    namespaces = namespaces_of(document.get("@context", []))
    ignore = document_ignore_fields(document)
    return [_Hasher(namespaces, ignore).event(event) for event in document_events(document)]
