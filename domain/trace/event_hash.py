"""EPCIS Event Hash ID (CBV 2.0 section 8.9): ``ni:///sha-256;<hex>?ver=CBV2.0``.

The pre-hash string concatenates, without separators: ``eventType=<type>``, then the standard fields in the
canonical property order (``key=value``, list members sorted, nested members in their own order), then every
other field -- ``bizTransactionList``, ``sourceList``, ``destinationList``, ``ilmd`` and user extensions as
``{namespace}localName`` -- as sorted substrings. Values are trimmed; CBV URNs, bare CBV words and CURIEs
become Web URIs; numbers lose trailing zeros; EPC URIs and Digital Link URIs become constrained canonical
Digital Link URIs; timestamps become UTC with milliseconds. ``eventID``, ``recordTime``,
``errorDeclaration`` and comments are left out. An event's own ``@context`` (JSON-LD allows one on any
object; our exports write one only when a prefix means something else in this event than in the document)
rebinds prefixes for that event: a string binds, ``null`` unbinds.

Where the algorithm text and the reference implementation (RalphTro/epcis-event-hash-generator, whose
vectors the tests replay) differ we follow the implementation, since hashes must agree between parties:
business transactions, sources and destinations are hashed with the remaining fields after the sensor data
(sorted, so ``destinationList`` comes before ``sourceList``), and inside each entry ``type`` comes before
the identifier.

This module holds the hash ID itself (``event_hash_id``, ``document_hash_ids``: ``sha-256`` over the UTF-8
pre-hash string); the pre-hash string is built in ``event_prehash`` from the orders and normalisers of
``event_hash_canon``, whose public names are re-exported here."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import Any

from domain.trace.event_hash_canon import CANONICAL_ORDER as CANONICAL_ORDER
from domain.trace.event_hash_canon import CBV as CBV
from domain.trace.event_hash_canon import GS1_VOC as GS1_VOC
from domain.trace.event_hash_canon import REPOSITORY_NS as REPOSITORY_NS
from domain.trace.event_hash_canon import default_namespaces as default_namespaces
from domain.trace.event_hash_canon import namespaces_of as namespaces_of
from domain.trace.event_hash_canon import normalise_timestamp as normalise_timestamp
from domain.trace.event_prehash import document_events as document_events
from domain.trace.event_prehash import document_prehashes as document_prehashes
from domain.trace.event_prehash import prehash_string as prehash_string

HASH_VERSION = "CBV2.0"


def hash_id_of_prehash(prehash: str) -> str:
    """``ni:///sha-256;<hex>?ver=CBV2.0``: SHA-256 of the UTF-8 pre-hash string, lower-case hex."""
    return f"ni:///sha-256;{hashlib.sha256(prehash.encode('utf-8')).hexdigest()}?ver={HASH_VERSION}"


def event_hash_id(
    event: Mapping[str, Any],
    namespaces: Mapping[str, str] | None = None,
    ignore_fields: Collection[str] = (),
) -> str:
    """The EPCIS Event Hash ID (``ni:///sha-256;…?ver=CBV2.0``) of one event; ``eventID`` is not hashed."""
    return hash_id_of_prehash(prehash_string(event, namespaces, ignore_fields))


def document_hash_ids(document: Mapping[str, Any]) -> list[str]:
    """EPCIS Event Hash IDs of every event of a document, in document order."""
    return [hash_id_of_prehash(p) for p in document_prehashes(document)]
