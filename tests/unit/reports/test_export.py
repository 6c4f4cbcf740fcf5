"""Exports: CSV defuses formulas, XLSX keeps measures as numbers, the SVG escapes labels."""

import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from domain.reports import export

COLUMNS = ("supplier_code", "quantity")


def test_a_cell_that_would_run_as_a_formula_is_prefixed_and_negative_numbers_are_left_alone() -> None:
    text = export.to_csv(COLUMNS, [["=1+1", "-3.5"], ["@SUM(A1)", "12"], ["+86 21", "0"]])
    assert text.splitlines() == ["supplier_code,quantity", "'=1+1,-3.5", "'@SUM(A1),12", "'+86 21,0"]


@given(label=st.text(max_size=30))
def test_svg_labels_are_escaped(label: str) -> None:
    svg = export.to_svg(COLUMNS, [[label, "5"]], 1)
    label_text = svg.split('font-size="12">', 1)[1].split("</text>", 1)[0]
    assert "<" not in label_text
    assert svg.count("<rect") == 1


def test_xlsx_measures_are_numbers_and_dimensions_text() -> None:
    data = export.to_xlsx("临期 report: a/b", COLUMNS, [["SUP-1", "2.5"], ["0123", "7"]], 1)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["supplier_code", "quantity"],
        ["SUP-1", 2.5],
        ["0123", 7],
    ]
    assert sheet.title == "临期 report_ a_b"
