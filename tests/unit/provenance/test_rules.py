"""Public codes, what an event body may show, the public verdict and the verify command: pure rules."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.provenance import rules

T = datetime(2030, 6, 3, 20, 0, tzinfo=UTC)


def test_a_code_is_sixteen_base32_characters_of_ten_random_bytes():
    code = rules.code_from_bytes(bytes(range(10)))

    assert code == "AAAQEAYEAUDAOCAJ"
    assert rules.normalise_code(code) == code


def test_a_code_needs_exactly_ten_bytes():
    with pytest.raises(ValueError, match="10 random bytes"):
        rules.code_from_bytes(b"short")


def test_a_scanned_code_is_read_in_any_case_with_spaces_or_dashes_and_anything_else_is_refused():
    assert rules.normalise_code("aaaq-eaye audaocaj") == "AAAQEAYEAUDAOCAJ"
    assert rules.normalise_code("AAAQEAYEAUDAOCA1") is None  # 1 is not base32
    assert rules.normalise_code("../../etc/passwd") is None
    assert rules.normalise_code("") is None


def test_the_place_is_the_business_location_never_a_source_or_destination():
    body = {
        "readPoint": {"id": "urn:lotline:loc:WH%2F1"},
        "destinationList": [{"type": "owning_party", "destination": "urn:lotline:party:CUS-1"}],
    }

    assert rules.event_place(body) == ("code", "WH/1")
    assert rules.event_place({"bizLocation": {"id": "https://id.gs1.org/414/9521234000006"}}) == (
        "gln",
        "9521234000006",
    )
    assert rules.event_place({"readPoint": {"id": "urn:epc:id:sgln:other"}}) is None


def test_sensor_reports_give_temperature_and_humidity_and_skip_the_rest():
    body = {
        "sensorElementList": [
            {
                "sensorReport": [
                    {"type": "gs1:Temperature", "value": 3.5, "uom": "CEL", "time": "2030-06-03T10:00:00Z"},
                    {"type": "gs1:RelativeHumidity", "meanValue": 82, "uom": "P1"},
                    {"type": "gs1:Speed", "value": 9},
                    {"type": "gs1:Temperature", "value": "not a number"},
                ]
            }
        ]
    }

    readings = rules.sensor_readings(body, T)

    assert [(r.label_en, r.value, r.unit, r.time) for r in readings] == [
        ("temperature", Decimal("3.5"), "°C", datetime(2030, 6, 3, 10, 0, tzinfo=UTC)),
        ("humidity", Decimal(82), "%", T),
    ]
    assert rules.sensor_readings({"sensorElementList": "junk"}, T) == []


def test_the_verdict_is_pending_while_a_check_is_open_else_the_last_decision_with_parameter_names_only():
    passed = rules.CheckFacts("passed", T, [{"parameter": "residue", "value": "0.01", "passed": True}])
    failed = rules.CheckFacts("failed", T, [{"parameter": "E. coli", "passed": False}])

    assert rules.verdict_of([]) == ("none", None, [])
    assert rules.verdict_of([passed, rules.CheckFacts("inspecting", None, [])]) == ("pending", None, [])
    # Decided at T = 20:00 UTC on 06-03: already 06-04 in the business time zone (Shanghai).
    assert rules.verdict_of([passed]) == ("pass", date(2030, 6, 4), [("residue", True)])
    assert rules.verdict_of([passed, failed]) == ("fail", date(2030, 6, 4), [("E. coli", False)])


def test_the_day_of_an_event_is_the_day_where_it_happened():
    assert rules.local_date(T, "+08:00") == date(2030, 6, 4)
    assert rules.local_date(T, "-05:00") == date(2030, 6, 3)
    # No offset recorded: the business time zone's day (Shanghai), not the UTC one.
    assert rules.local_date(T, None) == date(2030, 6, 4)


def test_the_cast_command_calls_verify_event_with_root_event_hash_and_proof():
    command = rules.cast_command("0xC0", "0xR", "0xE", ["0xA", "0xB"])

    assert command == (
        'cast call 0xC0 "verifyEvent(bytes32,bytes32,bytes32[])(bool)" 0xR 0xE "[0xA,0xB]"'
        ' --rpc-url "$RPC_URL"'
    )
