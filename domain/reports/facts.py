"""The curated facts reports run over: for each, its FROM clause and the only column expressions a report
may name. Every SQL fragment here is ours and constant; a report spec picks names from these tables, so no
text a user sends ever becomes SQL (values travel as bind parameters, see ``rules.compile_report``)."""

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    DECIMAL = "decimal"


@dataclass(frozen=True)
class Field:
    sql: str
    kind: Kind


@dataclass(frozen=True)
class Fact:
    name: str
    source: str  # FROM … JOIN …, constant
    base: str  # always-true condition of the fact, constant
    dimensions: dict[str, Field]
    measures: dict[str, str]  # name -> aggregate expression
    permission: str  # the read permission a caller needs (domain.partners.rules.Permission value)
    supplier_column: str | None  # the column a supplier user is confined to; None: suppliers may not run it
    # Record types whose custom fields a report may name (``custom.<record>.<key>``), by their table alias.
    records: dict[str, str] = field(default_factory=dict)


def _text(sql: str) -> Field:
    return Field(sql, Kind.TEXT)


_STOCK_SOURCE = (
    "stock_quant q JOIN batch b ON b.id = q.batch_id JOIN sku s ON s.id = q.sku_id "
    "JOIN warehouse w ON w.id = q.warehouse_id LEFT JOIN supplier p ON p.id = b.supplier_id"
)
_STOCK_DIMS = {
    "sku_code": _text("s.code"),
    "sku_name": _text("s.name_zh"),
    "warehouse_code": _text("w.code"),
    "supplier_code": _text("p.code"),
    "supplier_name": _text("p.name"),
    "lot_code": _text("b.lot_code"),
    "batch_status": _text("b.status"),
    "stock_status": _text("q.status"),
    "expiry_date": Field("b.expiry_date", Kind.DATE),
    "best_before_date": Field("b.best_before_date", Kind.DATE),
}
_STOCK_MEASURES = {
    "quantity": "SUM(q.quantity)",
    "reserved": "SUM(q.reserved)",
    "lots": "COUNT(DISTINCT b.id)",
}

_STOCK_RECORDS = {"sku": "s", "batch": "b", "supplier": "p"}

FACTS: dict[str, Fact] = {
    "stock": Fact(
        "stock",
        _STOCK_SOURCE,
        "q.quantity <> 0",
        _STOCK_DIMS,
        _STOCK_MEASURES,
        "inventory_read",
        None,
        _STOCK_RECORDS,
    ),
    # Stock of dated lots: what near-expiry reports read. Suppliers may see their own lots' state.
    "expiry": Fact(
        "expiry",
        _STOCK_SOURCE,
        "q.quantity <> 0 AND b.expiry_date IS NOT NULL",
        _STOCK_DIMS,
        _STOCK_MEASURES,
        "inventory_read",
        "b.supplier_id",
        _STOCK_RECORDS,
    ),
    "moves": Fact(
        "moves",
        "stock_move m JOIN sku s ON s.id = m.sku_id JOIN batch b ON b.id = m.batch_id "
        "LEFT JOIN supplier p ON p.id = b.supplier_id",
        "1 = 1",
        {
            "sku_code": _text("s.code"),
            "lot_code": _text("b.lot_code"),
            "supplier_code": _text("p.code"),
            "doc_type": _text("m.doc_type"),
            "from_status": _text("m.from_status"),
            "to_status": _text("m.to_status"),
        },
        {"quantity": "SUM(m.quantity)", "value": "SUM(m.value)", "moves": "COUNT(*)"},
        "inventory_read",
        None,
        _STOCK_RECORDS,
    ),
    "purchases": Fact(
        "purchases",
        "purchase_order_line l JOIN purchase_order o ON o.id = l.order_id JOIN sku s ON s.id = l.sku_id "
        "JOIN supplier p ON p.id = o.supplier_id JOIN warehouse w ON w.id = o.warehouse_id",
        "1 = 1",
        {
            "supplier_code": _text("p.code"),
            "supplier_name": _text("p.name"),
            "sku_code": _text("s.code"),
            "warehouse_code": _text("w.code"),
            "order_status": _text("o.status"),
            "expected_date": Field("o.expected_date", Kind.DATE),
        },
        {
            "quantity": "SUM(l.quantity)",
            "amount": "SUM(l.quantity * l.unit_price)",
            "received_base": "SUM(l.received_base)",
            "orders": "COUNT(DISTINCT o.id)",
        },
        "purchasing_read",
        "o.supplier_id",
        {"purchase_order_line": "l", "purchase_order": "o", "sku": "s", "supplier": "p"},
    ),
    "sales": Fact(
        "sales",
        "sales_order_line l JOIN sales_order o ON o.id = l.order_id JOIN sku s ON s.id = l.sku_id "
        "JOIN warehouse w ON w.id = o.warehouse_id",
        "1 = 1",
        {
            "sku_code": _text("s.code"),
            "warehouse_code": _text("w.code"),
            "order_status": _text("o.status"),
            "requested_date": Field("o.requested_date", Kind.DATE),
        },
        {
            "quantity": "SUM(l.quantity)",
            "amount": "SUM(l.quantity * l.unit_price)",
            "shipped_base": "SUM(l.shipped_base)",
            "orders": "COUNT(DISTINCT o.id)",
        },
        "sales_read",
        None,
        {"sales_order": "o", "sku": "s"},
    ),
    "journal": Fact(
        "journal",
        "fin_journal_line j JOIN fin_account a ON a.id = j.account_id",
        "1 = 1",
        {
            "account_code": _text("a.code"),
            "account_name": _text("a.name"),
            "doc_type": _text("j.doc_type"),
            "entry_date": Field("j.entry_date", Kind.DATE),
        },
        {"debit": "SUM(j.debit)", "credit": "SUM(j.credit)", "lines": "COUNT(*)"},
        "finance_read",
        None,
    ),
}
