"""Schema validation of EPCIS documents, canonical JSON leaves and the document wrapper."""

import copy
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from domain.trace import epcis, errors

EXAMPLES = (
    Path(__file__).parents[2] / "data" / "epcis" / "examples"
)  # GS1's examples, copied from ../shared/epcis
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.jsonld"))
assert EXAMPLE_FILES, f"no GS1 examples under {EXAMPLES}"


def _object_event_document():
    return {
        "@context": [epcis.EPCIS_CONTEXT_URL],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2024-05-01T08:00:00.000Z",
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventTime": "2024-05-01T08:00:00.000+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "epcList": ["urn:epc:id:sgtin:4012345.011111.1"],
                    "action": "OBSERVE",
                    "bizStep": "receiving",
                    "readPoint": {"id": "urn:lotline:loc:WH1"},
                }
            ]
        },
    }


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_every_gs1_example_validates(path):
    epcis.validate_epcis_document(json.loads(path.read_text("utf-8")))


def test_a_valid_document_raises_nothing():
    epcis.validate_epcis_document(_object_event_document())


def _problems(document):
    with pytest.raises(errors.EpcisValidationError) as caught:
        epcis.validate_epcis_document(document)
    assert caught.value.code == errors.TraceErrorCode.EPCIS_INVALID
    return caught.value.problems


def test_a_missing_event_time_is_reported_at_its_event():
    document = _object_event_document()
    del document["epcisBody"]["eventList"][0]["eventTime"]
    assert _problems(document) == [
        errors.Problem("/epcisBody/eventList/0", "'eventTime' is a required property")
    ]


def test_a_bad_action_is_reported_at_its_path():
    document = _object_event_document()
    document["epcisBody"]["eventList"][0]["action"] = "MOVE"
    problems = _problems(document)
    assert {p.path for p in problems} == {"/epcisBody/eventList/0/action"}
    assert any(p.message == "'MOVE' is not one of ['OBSERVE', 'ADD', 'DELETE']" for p in problems)


def test_a_wrong_type_is_reported_at_its_path():
    document = _object_event_document()
    document["epcisBody"]["eventList"][0]["epcList"] = "urn:epc:id:sgtin:4012345.011111.1"
    problems = _problems(document)
    assert (
        errors.Problem(
            "/epcisBody/eventList/0/epcList", "'urn:epc:id:sgtin:4012345.011111.1' is not of type 'array'"
        )
        in problems
    )


def test_a_bad_date_time_format_is_reported_because_formats_are_checked():
    document = _object_event_document()
    document["creationDate"] = "2024-05-01 08:00"
    assert _problems(document) == [errors.Problem("/creationDate", "'2024-05-01 08:00' is not a 'date-time'")]


def test_every_problem_of_a_document_is_listed():
    document = _object_event_document()
    event = document["epcisBody"]["eventList"][0]
    del event["eventTime"]
    event["action"] = "MOVE"
    document["creationDate"] = "yesterday"
    paths = {p.path for p in _problems(document)}
    assert paths == {"/creationDate", "/epcisBody/eventList/0", "/epcisBody/eventList/0/action"}


def test_the_validator_is_built_once():
    assert epcis._validator() is epcis._validator()
    assert type(epcis._validator()).__name__ == "Draft7Validator"


def test_canonical_json_is_rfc8785():
    event = {"b": 1.0, "a": "é", "c": [3, {"y": None, "x": True}]}
    assert epcis.canonical_json(event) == '{"a":"é","b":1,"c":[3,{"x":true,"y":null}]}'.encode()


def test_leaf_digest_is_the_sha256_of_the_canonical_json_and_ignores_key_order():
    event = _object_event_document()["epcisBody"]["eventList"][0]
    reordered = dict(reversed(list(copy.deepcopy(event).items())))
    assert epcis.leaf_digest(event) == hashlib.sha256(epcis.canonical_json(event)).digest()
    assert len(epcis.leaf_digest(event)) == 32
    assert epcis.leaf_digest(reordered) == epcis.leaf_digest(event)


def test_epcis_document_wraps_events_with_the_gs1_context_and_validates():
    event = _object_event_document()["epcisBody"]["eventList"][0]
    now = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    document = epcis.epcis_document([event], now, sender="urn:lotline:party:ACME")
    assert document["@context"] == ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
    assert document["schemaVersion"] == "2.0"
    assert document["creationDate"] == "2024-05-01T09:30:00.000Z"
    assert document["sender"] == "urn:lotline:party:ACME"
    assert document["epcisBody"]["eventList"] == [event]
    epcis.validate_epcis_document(document)


def test_times_keep_their_offset_and_naive_times_are_refused():
    shanghai = timezone(timedelta(hours=8))
    assert (
        epcis.format_time(datetime(2024, 5, 1, 8, 0, 0, 123456, tzinfo=shanghai))
        == "2024-05-01T08:00:00.123+08:00"
    )
    assert (
        epcis.timezone_offset(datetime(2024, 5, 1, tzinfo=timezone(timedelta(hours=-5, minutes=-30))))
        == "-05:30"
    )
    with pytest.raises(ValueError, match="time zone"):
        epcis.format_time(datetime(2024, 5, 1))  # noqa: DTZ001
