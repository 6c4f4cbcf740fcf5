"""What a captured event keeps of its document, inside the hashed JSON: the ``lotline:capture`` member.

A partner's EPCIS document gives its events meaning beyond their own members: its ``@context`` (prefixes
and term definitions beyond the GS1 context) expands their CURIEs, and its ``<repository>:ignoreFields``
(CBV 2.0 Event Hash ID, as the reference implementation reads it) leaves named fields out of their hash.
Both are needed to export an event so that it hashes again to the Event Hash ID computed at capture.

They are written into the stored event itself, as ``{"lotline:capture": {"context": [...],
"ignoreFields": [...]}}``, so they are part of the canonical JSON the leaf hashes and the anchor commits:
editing them in the database breaks the event's proof like any other edit (an earlier design kept the
context in a column of its own, outside the hash, where an insider could change what an export declares
without anything noticing). ``lotline:capture`` is repository metadata like ``lotline:chain``: left out of
the Event Hash ID (``event_hash_canon.IGNORED_EVENT_FIELDS``).

Exports (``export_ignore``) declare the union of the events' ignore lists once at document level (EPCIS 2.0
defines ``ignoreFields`` per document), written with the export's own prefixes; a document in which one
event's ignored field is another's hashed field cannot say both, and is refused rather than exported with a
hash that no longer matches. Pure: no I/O.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.trace.event_hash_canon import REPOSITORY_NS, namespaces_of
from domain.trace.event_prehash import expand_key

CAPTURE_KEY = "lotline:capture"
#: The prefix an export binds to the repository namespace when the captured documents' prefixes have none.
EXPORT_PREFIX = "repository-x"


def capture_member(context: Sequence[Any] | None, ignore_fields: Sequence[str]) -> dict[str, Any] | None:
    """The ``lotline:capture`` value of an event captured from a document with these ``@context`` extras
    and ``ignoreFields`` (CURIEs as written); None when the document declared neither."""
    member: dict[str, Any] = {}
    if context:
        member["context"] = list(context)
    if ignore_fields:
        member["ignoreFields"] = sorted(set(ignore_fields))
    return member or None


def _member(body: Mapping[str, Any]) -> Mapping[str, Any]:
    raw = body.get(CAPTURE_KEY)
    return raw if isinstance(raw, Mapping) else {}


def context_of(body: Mapping[str, Any]) -> list[Any] | None:
    """The captured document's ``@context`` extras, read from the stored (hashed) event; None for ours."""
    raw = _member(body).get("context")
    return list(raw) if isinstance(raw, list) and raw else None


def ignore_of(body: Mapping[str, Any]) -> list[str]:
    """The captured document's ``ignoreFields``, read from the stored (hashed) event; empty for ours."""
    raw = _member(body).get("ignoreFields")
    return [str(v) for v in raw] if isinstance(raw, list) else []


class IgnoreConflict(ValueError):
    """One event's ignored field is hashed in another event of the same export (``event``: its index)."""

    def __init__(self, field: str, event: int) -> None:
        super().__init__(f"field {field} is ignored for some events and hashed for event {event}")
        self.field = field
        self.event = event


@dataclass(frozen=True)
class ExportIgnore:
    member: str  # the document member to write, ``<prefix>:ignoreFields``
    fields: list[str]  # CURIEs in the export's prefixes, sorted
    binding: dict[str, str]  # a prefix to add to the document's context (empty when already bound)


def export_ignore(
    bodies: Sequence[Mapping[str, Any]],
    own_contexts: Sequence[Mapping[str, Any] | None],
    document_namespaces: Mapping[str, str],
) -> ExportIgnore | None:
    """The document-level ``ignoreFields`` of an export of ``bodies`` (stored events), or None when no event
    was captured with one. ``own_contexts`` are the per-event ``@context`` an export writes (see
    ``epcis.export_contexts``), ``document_namespaces`` the export document's prefixes.

    Raises :class:`IgnoreConflict` when a field ignored for one event is present, and hashed, in another.
    """
    wanted: set[str] = set()
    own_sets: list[set[str]] = []
    for body in bodies:
        names = namespaces_of(context_of(body) or [])
        own = {expand_key(f, names) for f in ignore_of(body)}
        own_sets.append(own)
        wanted |= own
    if not wanted:
        return None
    for index, (body, own_context, own) in enumerate(zip(bodies, own_contexts, own_sets, strict=True)):
        names = namespaces_of(own_context or {}, document_namespaces)
        for key in body:
            expanded = expand_key(key, names)
            if expanded in wanted and expanded not in own:
                raise IgnoreConflict(key, index)
    prefixes = {iri: p for p, iri in sorted(document_namespaces.items(), reverse=True)}
    binding: dict[str, str] = {}
    fields = []
    for expanded in sorted(wanted):
        if not expanded.startswith("{"):
            fields.append(expanded)
            continue
        iri, local = expanded[1:].split("}", 1)
        if iri not in prefixes:
            fresh = f"ignored{len(binding) + 1}"
            binding[fresh] = iri
            prefixes[iri] = fresh
        fields.append(f"{prefixes[iri]}:{local}")
    repository = prefixes.get(REPOSITORY_NS)
    if repository is None:
        repository = EXPORT_PREFIX if EXPORT_PREFIX not in document_namespaces else "lotline-repository"
        binding[repository] = REPOSITORY_NS
    return ExportIgnore(f"{repository}:ignoreFields", sorted(fields), binding)
