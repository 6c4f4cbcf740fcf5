from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.asn import rules
from domain.common.errors import Conflict, ValidationError

TODAY = date(2030, 6, 3)
NOW = datetime(2030, 6, 3, 9, tzinfo=UTC)
ORDERED = {1: Decimal(10), 2: Decimal(4)}


def test_an_accepted_line_without_quantity_promises_the_ordered_quantity():
    [line] = rules.check_ack_lines([rules.AckLine(1, "accepted", None, date(2030, 6, 5))], ORDERED, TODAY)
    assert line == rules.AckLine(1, "accepted", Decimal(10), date(2030, 6, 5), "")


def test_a_declined_line_promises_nothing():
    [line] = rules.check_ack_lines(
        [rules.AckLine(2, "declined", Decimal(3), date(2030, 6, 5))], ORDERED, TODAY
    )
    assert (line.promised_quantity, line.promised_date) == (Decimal(0), None)


@pytest.mark.parametrize(
    ("line", "path", "message"),
    [
        (
            rules.AckLine(9, "accepted", None, TODAY),
            ("lines", "0", "orderLineId"),
            "this line is not on the order",
        ),
        (
            rules.AckLine(1, "maybe", None, TODAY),
            ("lines", "0", "decision"),
            "decision must be accepted or declined",
        ),
        (
            rules.AckLine(1, "accepted", Decimal(0), TODAY),
            ("lines", "0", "promisedQuantity"),
            "an accepted line promises a positive quantity",
        ),
        (
            rules.AckLine(1, "accepted", Decimal(11), TODAY),
            ("lines", "0", "promisedQuantity"),
            "promised 11 is more than the ordered 10",
        ),
        (
            rules.AckLine(1, "accepted", None, None),
            ("lines", "0", "promisedDate"),
            "an accepted line needs a promised date",
        ),
        (
            rules.AckLine(1, "accepted", None, date(2030, 6, 2)),
            ("lines", "0", "promisedDate"),
            "the promised date is in the past",
        ),
    ],
)
def test_a_bad_acknowledgement_line_is_refused_with_its_field(line, path, message):
    with pytest.raises(ValidationError) as err:
        rules.check_ack_lines([line], ORDERED, TODAY)
    assert (err.value.path, err.value.message) == (path, message)


def test_a_line_acknowledged_twice_at_once_is_refused():
    lines = [rules.AckLine(1, "declined"), rules.AckLine(1, "declined")]
    with pytest.raises(ValidationError) as err:
        rules.check_ack_lines(lines, ORDERED, TODAY)
    assert err.value.path == ("lines", "1", "orderLineId")


def test_a_closed_order_takes_no_acknowledgement():
    with pytest.raises(Conflict):
        rules.check_order_open("received", "PO1")
    rules.check_order_open("partially_received", "PO1")


def _asn(*lines: rules.AsnLineInput, arrival: datetime = NOW) -> None:
    rules.check_asn_lines(lines, ORDERED, Decimal("0.05"), arrival, NOW)


def test_two_lots_of_one_line_may_share_its_open_quantity_plus_tolerance():
    _asn(rules.AsnLineInput(1, "L1", Decimal(6)), rules.AsnLineInput(1, "L2", Decimal("4.5")))
    with pytest.raises(ValidationError) as err:
        _asn(rules.AsnLineInput(1, "L1", Decimal(6)), rules.AsnLineInput(1, "L2", Decimal("4.6")))
    assert err.value.path == ("lines", "1", "quantity")


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (rules.AsnLineInput(1, " ", Decimal(1)), "lotCode"),
        (rules.AsnLineInput(1, "L" * 65, Decimal(1)), "lotCode"),
        (rules.AsnLineInput(1, "L1", Decimal(0)), "quantity"),
        (rules.AsnLineInput(7, "L1", Decimal(1)), "orderLineId"),
        (rules.AsnLineInput(1, "L1", Decimal(1), date(2030, 6, 2), date(2030, 6, 1)), "expiryDate"),
        (
            rules.AsnLineInput(1, "L1", Decimal(1), None, date(2030, 6, 9), date(2030, 6, 10)),
            "bestBeforeDate",
        ),
    ],
)
def test_a_bad_asn_line_is_refused_with_its_field(line, field):
    with pytest.raises(ValidationError) as err:
        _asn(line)
    assert err.value.path == ("lines", "0", field)


def test_an_asn_cannot_announce_an_arrival_in_the_past_or_without_a_zone():
    with pytest.raises(ValidationError) as err:
        _asn(rules.AsnLineInput(1, "L1", Decimal(1)), arrival=datetime(2030, 6, 2, 9, tzinfo=UTC))
    assert err.value.path == ("expectedArrival",)
    with pytest.raises(ValidationError):
        _asn(rules.AsnLineInput(1, "L1", Decimal(1)), arrival=datetime(2030, 6, 4, 9))  # noqa: DTZ001


def test_differences_name_each_field_that_changed():
    expected = rules.Expected("L1", Decimal(10), date(2030, 6, 1), date(2030, 7, 1), None)
    received = rules.Expected("L1b", Decimal("9.5"), date(2030, 6, 1), date(2030, 7, 2), None)
    assert rules.differences(5, expected, received) == [
        rules.Difference(5, "lot_code", "L1", "L1b"),
        rules.Difference(5, "quantity", "10", "9.5"),
        rules.Difference(5, "expiry_date", "2030-07-01", "2030-07-02"),
    ]
    assert rules.differences(5, expected, expected) == []
    assert rules.differences(5, expected, None) == [rules.Difference(5, "quantity", "L1: 10", "L1: 0")]


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\0\0", "image/png"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg"),
        (b"<html>", None),
        (b"PK\x03\x04", None),
    ],
)
def test_a_file_type_is_told_by_its_magic_bytes(head, content_type):
    assert rules.sniff_content_type(head) == content_type


def test_a_certificate_over_the_size_cap_or_of_another_type_is_refused():
    with pytest.raises(ValidationError, match="only PDF, PNG or JPEG"):
        rules.check_certificate(b"GIF89a....", "test_report")
    with pytest.raises(ValidationError, match="over 10 MiB"):
        rules.check_certificate(b"%PDF-" + b"0" * rules.MAX_CERTIFICATE_BYTES, "test_report")
    with pytest.raises(ValidationError, match="kind"):
        rules.check_certificate(b"%PDF-1.4", "invoice")


def test_the_certification_uri_is_the_rfc6920_name_of_the_sha256():
    content_type, digest = rules.check_certificate(b"%PDF-1.4 hello", "quality_certificate")
    assert content_type == "application/pdf"
    import hashlib

    assert digest == hashlib.sha256(b"%PDF-1.4 hello").hexdigest()
    uri = rules.certification_uri("00" * 32)
    assert uri == "ni:///sha-256;AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"


def test_lateness_counts_days_after_the_announced_day():
    assert rules.lateness_days(date(2030, 6, 3), date(2030, 6, 5)) == 2
    assert rules.lateness_days(date(2030, 6, 3), date(2030, 6, 2)) == -1


def test_the_arrival_day_is_judged_in_the_business_zone():
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    just_after_midnight = datetime(2030, 6, 3, 0, 30, tzinfo=shanghai)  # still 2 June in UTC
    line = rules.AsnLineInput(1, "L1", Decimal(1))
    rules.check_asn_lines(
        [line], ORDERED, Decimal(0), datetime(2030, 6, 3, 1, tzinfo=UTC), just_after_midnight
    )
    with pytest.raises(ValidationError):  # 23:00 on 2 June in Shanghai is yesterday there
        rules.check_asn_lines(
            [line], ORDERED, Decimal(0), datetime(2030, 6, 2, 23, tzinfo=shanghai), just_after_midnight
        )
