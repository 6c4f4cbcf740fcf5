"""CSV and XLSX export of any report: a list of dataclass rows (nested dicts are flattened)."""

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook


def _flat(row: object) -> dict[str, Any]:
    if not is_dataclass(row) or isinstance(row, type):
        raise TypeError(f"export takes dataclass rows, not {type(row).__name__}")
    out: dict[str, Any] = {}
    for k, v in asdict(row).items():
        if isinstance(v, dict):
            out.update({f"{k}.{kk}": vv for kk, vv in v.items()})
        else:
            out[k] = v
    return out


def table(rows: Sequence[object]) -> tuple[list[str], list[list[Any]]]:
    flat = [_flat(r) for r in rows]
    header: list[str] = []
    for f in flat:
        header += [k for k in f if k not in header]
    return header, [[f.get(h) for h in header] for f in flat]


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def to_csv(rows: Sequence[object]) -> str:
    """UTF-8 text with a header row; decimals written exactly (no float, no exponent)."""
    header, body = table(rows)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_text(v) for v in r] for r in body])
    return buf.getvalue()


def to_xlsx(rows: Sequence[object], sheet: str = "report") -> bytes:
    """One sheet; amounts as numbers with a two-decimal format (Excel has no decimal type)."""
    header, body = table(rows)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append(header)
    for r in body:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in r])
    for col in ws.iter_cols(min_row=2):
        for cell in col:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00##"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
