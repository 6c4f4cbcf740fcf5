"""A captured document's context and ignoreFields travel inside the stored event and come back in exports,
so the exported event hashes to the Event Hash ID computed at capture; conflicting ignore lists are
refused."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.common.errors import ValidationError
from domain.trace import capture_meta, epcis, event_hash, event_prehash, export

GS1 = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
REPO = event_hash.REPOSITORY_NS
NOW = datetime(2030, 6, 4, tzinfo=UTC)
FIELDS = ("captureID", "plot", "batchNote", "farm")


@dataclass
class _Row:  # what epcis_document_of reads of a stored event
    body: dict[str, Any]


def _document(
    values: dict[str, str], ignored: list[str], repo_prefix: str = "repository-x"
) -> dict[str, Any]:
    event = {
        "type": "ObjectEvent",
        "eventTime": "2030-06-04T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "epcList": ["urn:epc:id:sgtin:4012345.011111.1"],
        **{f"ex:{k}": v for k, v in values.items()},
    }
    document: dict[str, Any] = {
        "@context": [GS1, {"ex": "https://ex.example.org/", repo_prefix: REPO}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2030-06-04T08:00:00.000Z",
        "epcisBody": {"eventList": [event]},
    }
    if ignored:
        document[f"{repo_prefix}:ignoreFields"] = [f"ex:{k}" for k in ignored]
    return document


def _stored(document: dict[str, Any]) -> dict[str, Any]:
    """The event as capture stores it: with its document's context and ignoreFields in ``lotline:capture``."""
    extras = epcis.context_extras(document["@context"])
    member = capture_meta.capture_member(extras, event_prehash.document_ignore_fields(document))
    event = dict(event_hash.document_events(document)[0])
    return event | ({capture_meta.CAPTURE_KEY: member} if member else {})


@settings(max_examples=60, deadline=None)
@given(
    values=st.dictionaries(st.sampled_from(FIELDS), st.text("abcXYZ09", min_size=1, max_size=6), min_size=1),
    data=st.data(),
    repo_prefix=st.sampled_from(["repository-x", "repo", "r2"]),
)
def test_an_exported_event_hashes_to_its_capture_id_whatever_its_document_ignored(values, data, repo_prefix):
    ignored = data.draw(st.lists(st.sampled_from(sorted(values)), unique=True))
    document = _document(values, ignored, repo_prefix)
    captured = event_hash.document_hash_ids(document)[0]

    exported = export.epcis_document_of([_Row(_stored(document))], NOW)  # type: ignore[list-item]

    assert event_hash.document_hash_ids(exported) == [captured]
    if ignored:  # the ignore list is declared again; without it the event would hash otherwise
        member = next(k for k in exported if k.endswith(":ignoreFields"))
        without = {k: v for k, v in exported.items() if k != member}
        assert event_hash.document_hash_ids(without) != [captured]


def test_the_capture_member_is_left_out_of_the_event_hash_id():
    document = _document({"plot": "B-7"}, ["plot"])
    body = _stored(document)
    names = event_hash.namespaces_of(document["@context"])
    assert capture_meta.CAPTURE_KEY in body
    plain = {k: v for k, v in body.items() if k != capture_meta.CAPTURE_KEY}
    assert event_hash.event_hash_id(body, names) == event_hash.event_hash_id(plain, names)


def test_events_whose_documents_ignore_a_field_the_other_hashes_cannot_share_an_export():
    ignoring = _stored(_document({"captureID": "a"}, ["captureID"]))
    hashing = _stored(_document({"captureID": "b"}, []))

    with pytest.raises(ValidationError, match="ignoreFields"):
        export.epcis_document_of([_Row(ignoring), _Row(hashing)], NOW)  # type: ignore[list-item]


def test_context_and_ignore_fields_are_read_from_the_stored_json_only():
    body = _stored(_document({"plot": "B-7"}, ["plot"]))
    assert capture_meta.context_of(body) == [{"ex": "https://ex.example.org/", "repository-x": REPO}]
    assert capture_meta.ignore_of(body) == ["ex:plot"]
    assert capture_meta.context_of({"type": "ObjectEvent"}) is None
    assert capture_meta.ignore_of({capture_meta.CAPTURE_KEY: "garbage"}) == []
