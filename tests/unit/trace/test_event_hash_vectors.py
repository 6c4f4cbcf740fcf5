"""Our EPCIS Event Hash IDs against every vector of the reference epcis-event-hash-generator."""

import hashlib
import json
from pathlib import Path

import pytest

from domain.trace import event_hash

# Copies of the reference implementation's vectors from ../shared/epcis (see LICENSE-of-source.txt there).
VECTORS = Path(__file__).parents[2] / "data" / "epcis" / "hash-vectors"

# Three lines of the shipped .prehashes files are damaged (garbled text, or the pre-hash of another event),
# while the matching .hashes lines are right: these lines do not hash to their own expected hash.
DAMAGED_PREHASH_LINES = {
    ("epcisDocWithAllGS1Keys", 0),
    ("epcisDocWithCustomSchemaInContext", 1),
    ("epcisDocWithDefaultSchemaInContext", 1),
}


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").split("\n") if line.strip()]


def _cases() -> list[tuple[str, int]]:
    return [
        (doc.stem, index)
        for doc in sorted(VECTORS.glob("*.jsonld"))
        for index in range(len(_lines(doc.with_suffix(".hashes"))))
    ]


CASES = _cases()


def _ours(name: str) -> list[str]:
    return event_hash.document_prehashes(json.loads((VECTORS / f"{name}.jsonld").read_text("utf-8")))


def test_every_vector_file_is_covered():
    assert len({name for name, _ in CASES}) == len(list(VECTORS.glob("*.jsonld"))) == 19
    assert len(CASES) == 38


@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_hash_id_matches_the_reference(name, index):
    expected = _lines(VECTORS / f"{name}.hashes")
    ours = _ours(name)
    assert len(ours) == len(expected)
    assert event_hash.hash_id_of_prehash(ours[index]) == expected[index]


PREHASH_CASES = [(n, i) for n, i in CASES if (VECTORS / f"{n}.prehashes").exists()]


@pytest.mark.parametrize(("name", "index"), PREHASH_CASES, ids=[f"{n}-{i}" for n, i in PREHASH_CASES])
def test_prehash_string_matches_the_reference_unless_the_vector_line_is_damaged(name, index):
    line = _lines(VECTORS / f"{name}.prehashes")[index]
    expected_hash = _lines(VECTORS / f"{name}.hashes")[index]
    line_is_consistent = event_hash.hash_id_of_prehash(line) == expected_hash
    assert line_is_consistent == ((name, index) not in DAMAGED_PREHASH_LINES)
    if line_is_consistent:
        assert _ours(name)[index] == line


def test_hash_id_is_the_sha256_of_the_prehash_in_ni_form():
    assert event_hash.hash_id_of_prehash("abc") == (
        "ni:///sha-256;" + hashlib.sha256(b"abc").hexdigest() + "?ver=CBV2.0"
    )


def test_event_id_record_time_error_declaration_and_comments_do_not_change_the_hash():
    event = {
        "type": "ObjectEvent",
        "eventTime": "2020-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": ["urn:epc:id:sscc:4012345.0000000333"],
        "action": "OBSERVE",
    }
    noisy = {
        **event,
        "eventID": "urn:uuid:x",
        "recordTime": "2021-01-01T00:00:00Z",
        "rdfs:comment": "hello",
        "errorDeclaration": {"declarationTime": "2021-01-01T00:00:00Z"},
    }
    assert event_hash.event_hash_id(noisy) == event_hash.event_hash_id(event)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("2020-03-04T11:00:30+01:00", "2020-03-04T10:00:30.000Z"),
        ("2020-03-04T11:00:30.1234-01:00", "2020-03-04T12:00:30.123Z"),
        ("2020-03-04T11:00:30.1235Z", "2020-03-04T11:00:30.124Z"),
        ("2020-12-31T23:59:59.9999Z", "2021-01-01T00:00:00.000Z"),
        ("not a time", "not a time"),
    ],
)
def test_timestamps_become_utc_with_milliseconds(raw, normalised):
    assert event_hash.normalise_timestamp(raw) == normalised


def test_the_same_event_in_urn_and_digital_link_form_hashes_the_same():
    urn = {
        "type": "ObjectEvent",
        "eventTime": "2020-01-01T01:00:00+01:00",
        "eventTimeZoneOffset": "+01:00",
        "quantityList": [
            {"epcClass": "urn:epc:class:lgtin:4012345.012345.LOT1", "quantity": 5.0, "uom": "KGM"}
        ],
        "action": "OBSERVE",
        "bizStep": "urn:epcglobal:cbv:bizstep:receiving",
        "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
    }
    link = {
        **urn,
        "eventTime": "2020-01-01T00:00:00.000Z",
        "bizStep": "receiving",
        "quantityList": [
            {"epcClass": "https://example.com/01/04012345123456/10/LOT1?x=1", "quantity": 5, "uom": "KGM"}
        ],
        "readPoint": {"id": "https://id.gs1.org/414/4012345000016"},
    }
    assert event_hash.prehash_string(urn) == event_hash.prehash_string(link)
