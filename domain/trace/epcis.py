"""EPCIS 2.0 documents: canonical JSON and leaf digests, schema validation, the document wrapper.

Pure: the only I/O is reading the packaged GS1 schema (``data/EPCIS-JSON-Schema.json``) once.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import rfc8785

from domain.trace import errors

EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
SCHEMA_VERSION = "2.0"
_DATA = "domain.trace"


def canonical_json(event: Mapping[str, Any]) -> bytes:
    """RFC 8785 (JCS) serialisation: sorted keys, no whitespace, ECMAScript number form, UTF-8."""
    return rfc8785.dumps(event)


def leaf_digest(event: Mapping[str, Any]) -> bytes:
    """SHA-256 of the canonical JSON (32 bytes): the leaf anchored in the Merkle tree."""
    return hashlib.sha256(canonical_json(event)).digest()


def format_time(moment: datetime) -> str:
    """ISO 8601 with milliseconds and the moment's own offset (``Z`` for UTC); ``moment`` must be aware."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("EPCIS times need a time zone: pass an aware datetime")
    text = moment.isoformat(timespec="milliseconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def timezone_offset(moment: datetime) -> str:
    """``eventTimeZoneOffset`` of an aware datetime, e.g. ``+08:00``."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("EPCIS times need a time zone: pass an aware datetime")
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def context_extras(context: Any) -> list[Any]:
    """A document's ``@context`` entries beyond the GS1 EPCIS context (its own prefixes, other URLs)."""
    items = context if isinstance(context, list) else [context]
    return [i for i in items if i and i != EPCIS_CONTEXT_URL and isinstance(i, str | dict)]


def _terms(extras: Sequence[Any] | None) -> dict[str, Any]:
    return {k: v for item in extras or () if isinstance(item, dict) for k, v in item.items()}


def export_contexts(
    extras: Sequence[Sequence[Any] | None], bodies: Sequence[Mapping[str, Any]], defaults: Mapping[str, str]
) -> tuple[list[Any], list[dict[str, Any] | None]]:
    """The ``@context`` of a document holding events captured with ``extras`` (one per event, as
    :func:`context_extras` gave at capture), and for each event the ``@context`` it must carry itself.

    Every prefix goes to the document's context once, first meaning first; an event whose document gave a
    prefix another meaning (than an earlier event's, or than the GS1 context's ``defaults``), or that uses a
    prefix its document left undeclared, carries its own bindings (``null`` to unbind), so that each event
    means, and hashes to, what it did at capture. Most exports need none.
    """
    urls: list[str] = [EPCIS_CONTEXT_URL]
    document: dict[str, Any] = {}
    for items in extras:
        for item in items or ():
            if isinstance(item, str) and item not in urls:
                urls.append(item)
        for key, value in _terms(items).items():
            if key not in document and defaults.get(key, value) == value:
                document[key] = value
    own: list[dict[str, Any] | None] = []
    for items, body in zip(extras, bodies, strict=True):
        terms = _terms(items)
        rebind = {k: v for k, v in terms.items() if document.get(k, defaults.get(k)) != v}
        text = json.dumps(body, ensure_ascii=False)
        rebind |= {k: None for k in document if k not in terms and f'"{k}:' in text}
        own.append(rebind or None)
    return ([*urls, document] if document else urls), own


def epcis_document(
    events: Iterable[Mapping[str, Any]],
    now: datetime,
    sender: str | None = None,
    document_id: str | None = None,
    context: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Wrap events in an EPCISDocument (schemaVersion 2.0, ``creationDate`` = ``now``) whose ``@context``
    is ``context`` (default: the GS1 context alone; see :func:`export_contexts`)."""
    document: dict[str, Any] = {
        "@context": list(context) if context else [EPCIS_CONTEXT_URL],
        "type": "EPCISDocument",
        "schemaVersion": SCHEMA_VERSION,
        "creationDate": format_time(now),
    }
    if document_id is not None:
        document["id"] = document_id
    if sender is not None:
        document["sender"] = sender
    document["epcisBody"] = {"eventList": [dict(e) for e in events]}
    return document


@cache
def schema() -> dict[str, Any]:
    """The official GS1 EPCIS 2.0 JSON Schema shipped with the package."""
    text = resources.files(_DATA).joinpath("data/EPCIS-JSON-Schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> jsonschema.protocols.Validator:
    """Built once: the validator class the schema's ``$schema`` names (draft-07), with format checking."""
    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    return cls(schema(), format_checker=cls.FORMAT_CHECKER)


def _path(error: jsonschema.ValidationError) -> str:
    return "".join(f"/{part}" for part in error.absolute_path)


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """The most specific failures under an ``anyOf``/``oneOf``/``if`` error (else the error itself)."""
    if not error.context:
        return [error]
    best = jsonschema.exceptions.best_match(error.context)
    return _leaves(best) if best is not None else [error]


def problems_of(document: Mapping[str, Any]) -> list[errors.Problem]:
    """Every schema violation of an EPCIS document (or bare event), sorted by path; empty when valid."""
    found: dict[tuple[str, str], errors.Problem] = {}
    for error in _validator().iter_errors(document):
        for leaf in _leaves(error):
            problem = errors.Problem(_path(leaf), leaf.message)
            found.setdefault((problem.path, problem.message), problem)
    return sorted(found.values(), key=lambda p: (p.path, p.message))


SAFE_INTEGER = 2**53 - 1  # I-JSON (RFC 7493 §2.2): integers beyond it lose digits in other parsers


def ijson_problems(value: Any, path: str = "") -> list[errors.Problem]:
    """Where a parsed JSON value leaves I-JSON (RFC 7493), which RFC 8785 canonical JSON -- the event hash --
    requires: an integer beyond ±(2**53 - 1), a number that is not finite, a string with a lone surrogate.
    ``path``: the JSON Pointer of ``value``; the problems' paths are its leaves'. Empty when it conforms."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int):
        return [] if abs(value) <= SAFE_INTEGER else [errors.Problem(path, "integer beyond ±(2**53 - 1)")]
    if isinstance(value, float):
        return [] if math.isfinite(value) else [errors.Problem(path, "not a finite number")]
    if isinstance(value, str):
        lone = any("\ud800" <= c <= "\udfff" for c in value)
        return [errors.Problem(path, "holds a lone surrogate (not Unicode text)")] if lone else []
    found: list[errors.Problem] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            found += ijson_problems(str(key), f"{path}/{key}") + ijson_problems(item, f"{path}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += ijson_problems(item, f"{path}/{i}")
    return found


def validate_epcis_document(document: Mapping[str, Any]) -> None:
    """Raise :class:`errors.EpcisValidationError` listing every problem if ``document`` breaks the schema."""
    problems = problems_of(document)
    if problems:
        raise errors.EpcisValidationError(problems)
