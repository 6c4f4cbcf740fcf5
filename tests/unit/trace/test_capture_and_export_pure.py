"""Pure parts of capture, recording and export: lot keys, document checks, times, spreadsheets."""

import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import openpyxl
import pytest

from domain.trace import builders, capture, export, fsma, recording


@pytest.mark.parametrize(
    ("epc_class", "key"),
    [
        ("https://id.gs1.org/01/04012345123456/10/L%201", ("gtin", "04012345123456", "L 1")),
        ("urn:epc:class:lgtin:4012345.012345.L1", ("gtin", "04012345123456", "L1")),
        ("urn:lotline:class:APL-01:L2024", ("sku", "APL-01", "L2024")),
        ("urn:example:whatever", None),
    ],
)
def test_lot_keys_come_from_lgtins_and_our_private_classes(epc_class, key):
    assert capture.lot_key(epc_class) == key


def test_a_document_that_is_not_an_object_is_invalid_with_one_problem():
    with pytest.raises(capture.EpcisInvalid) as exc:
        capture.check_document([1, 2])
    assert [p.message for p in exc.value.problems] == ["an EPCIS document is a JSON object"]


def test_an_empty_event_list_is_invalid():
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2030-06-04T08:00:00.000Z",
        "epcisBody": {"eventList": []},
    }
    with pytest.raises(capture.EpcisInvalid, match="no event"):
        capture.check_document(document)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2030-06-04T08:00:00.000Z", datetime(2030, 6, 4, 8, tzinfo=UTC)),
        (
            "2030-06-04T08:00:00.123456789+08:00",
            datetime(2030, 6, 4, 8, 0, 0, 123456, tzinfo=timezone(timedelta(hours=8))),
        ),
        ("2030-06-04T08:00:00-05:00", datetime(2030, 6, 4, 13, tzinfo=UTC)),
    ],
)
def test_epcis_times_parse_to_aware_datetimes(text, moment):
    assert recording.parse_time(text) == moment


def test_a_unit_without_a_uncefact_code_is_written_without_uom():
    line = recording._Line(builders.ProductLot("SKU", "L1"), Decimal("2.5"), "瓶")
    assert line.as_epcis() == {"epcClass": "urn:lotline:class:SKU:L1", "quantity": 2.5}


def test_a_wrong_gln_falls_back_to_the_private_urn():
    assert recording.place("WH1", "4012345000008").uri == "urn:lotline:loc:WH1"
    assert recording.place("WH1", "4012345000009").uri == "https://id.gs1.org/414/4012345000009"


def test_the_spreadsheets_keep_the_fsma_columns_and_chinese_text():
    row = dict.fromkeys(fsma.FSMA_COLUMNS, "")
    row["Product Description"] = "高原蓝莓"
    table = list(csv.DictReader(io.StringIO(export.to_csv([row]).decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx([row]))).active
    assert table == [row]
    assert [c.value for c in sheet[1]] == list(fsma.FSMA_COLUMNS)
    assert sheet.cell(2, 4).value == "高原蓝莓"
