"""FSMA 204 sortable-spreadsheet rows from our events."""

from domain.trace import fsma
from tests.unit.trace.test_builders import BUILT


def test_rows_have_exactly_the_spreadsheet_columns():
    rows = fsma.fsma_rows(BUILT.values())
    assert rows
    assert all(tuple(row) == fsma.FSMA_COLUMNS for row in rows)


def test_a_receiving_event_gives_one_receiving_row_per_lot():
    rows = fsma.fsma_rows(
        [BUILT["receiving"]],
        product_descriptions={"04012345123456": "Apples, Gala"},
        location_names={"urn:lotline:loc:WH1": "Main warehouse"},
    )
    assert rows == [
        {
            "Traceability Lot Code": "(01)04012345123456(10)L2024-05",
            "Traceability Lot Code Source Location": "",
            "Traceability Lot Code Source Reference": "",
            "Product Description": "Apples, Gala",
            "Quantity": "12.5",
            "Unit of Measure": "kg",
            "Critical Tracking Event": "Receiving",
            "Input or Output": "",
            "Event Date": "2024-05-01",
            "Location Description": "Main warehouse",
            "Location Identifier": "urn:lotline:loc:WH1",
            "Ship From Location": "https://id.gs1.org/414/4000001000005",
            "Ship To Location": "urn:lotline:party:US",
            "Reference Document Type": "Purchase Order",
            "Reference Document Number": "PO-0001",
            "Event ID": BUILT["receiving"]["eventID"],
        }
    ]


def test_ctes_are_mapped_and_other_events_give_no_rows():
    rows = fsma.fsma_rows(BUILT.values())
    assert [(r["Critical Tracking Event"], r["Input or Output"]) for r in rows] == [
        ("Receiving", ""),
        ("Initial Packing", ""),
        ("Shipping", ""),
        ("Transformation", "Input"),
        ("Transformation", "Input"),
        ("Transformation", "Output"),
    ]


def test_a_lot_without_gtin_uses_our_lot_code_and_the_packing_place_as_its_source():
    (row,) = fsma.fsma_rows([BUILT["commissioning"]])
    assert row["Traceability Lot Code"] == "B 7"
    assert row["Product Description"] == "FLOUR/25"
    assert row["Traceability Lot Code Source Reference"] == "urn:lotline:loc:WH1"
    assert row["Unit of Measure"] == "box"


def test_transformation_outputs_take_their_lot_source_and_production_order():
    output = fsma.fsma_rows([BUILT["transformation"]])[-1]
    assert output["Traceability Lot Code"] == "P1"
    assert output["Traceability Lot Code Source Reference"] == "urn:lotline:loc:WH1"
    assert output["Reference Document Type"] == "Production Order"
    assert output["Reference Document Number"] == "MO-3"
