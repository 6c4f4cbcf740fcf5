"""Report compilation: any text in any identifier or value position either is refused or becomes a bind
parameter; the SQL text is built from our constant fragments only (checked on a real SQLite run too)."""

import sqlite3
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.errors import Forbidden, ValidationError
from domain.reports import rules
from domain.reports.facts import FACTS
from domain.reports.rules import Filter, Op, ReportSpec

TODAY = date(2026, 11, 30)
hostile = st.text(min_size=1, max_size=40) | st.sampled_from(
    [
        "x'; DROP TABLE sku; --",
        'a" OR 1=1 --',
        "s.code) UNION SELECT password_hash FROM app_user --",
        "%",
        "_",
    ]
)


def _unstorable(value: str) -> bool:
    """Text PostgreSQL cannot hold: NUL or a lone surrogate (refused as a filter value)."""
    return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)


def _fragments(fact: str) -> str:
    f = FACTS[fact]
    return " ".join([f.source, f.base, *(d.sql for d in f.dimensions.values()), *f.measures.values()])


@given(
    fact=st.sampled_from(sorted(FACTS)),
    name=hostile,
    position=st.sampled_from(["dim", "measure", "field", "sort", "fact"]),
)
def test_a_name_outside_the_whitelist_is_refused_in_every_identifier_position(
    fact: str, name: str, position: str
) -> None:
    f = FACTS[fact]
    if name in f.dimensions or name in f.measures or name in FACTS:
        return
    dim = next(iter(f.dimensions))
    spec = {
        "dim": ReportSpec(fact, (name,), ()),
        "measure": ReportSpec(fact, (), (name,)),
        "field": ReportSpec(fact, (dim,), (), (Filter(name, Op.EQ, ("x",)),)),
        "sort": ReportSpec(fact, (dim,), (), sort=name),
        "fact": ReportSpec(name, (dim,), ()),
    }[position]
    with pytest.raises(ValidationError):
        rules.compile_report(spec, TODAY, postgres=True, supplier_id=None)


@given(
    fact=st.sampled_from(sorted(FACTS)),
    value=hostile,
    op=st.sampled_from([Op.EQ, Op.NE, Op.IN, Op.CONTAINS, Op.LT]),
    postgres=st.booleans(),
)
def test_a_value_in_any_filter_is_a_bind_parameter_never_sql(
    fact: str, value: str, op: Op, postgres: bool
) -> None:
    f = FACTS[fact]
    field = next(n for n, d in f.dimensions.items() if d.kind == "text")
    spec = ReportSpec(fact, (field,), tuple(f.measures)[:1], (Filter(field, op, (value,)),))
    scoped = 7 if f.supplier_column is not None else None
    if _unstorable(value):
        with pytest.raises(ValidationError):
            rules.compile_report(spec, TODAY, postgres=postgres, supplier_id=scoped)
        return
    query = rules.compile_report(spec, TODAY, postgres=postgres, supplier_id=scoped)
    skeleton = query.sql
    for i in range(len(query.params), 0, -1):
        skeleton = skeleton.replace(f"${i}", "")
    skeleton = skeleton.replace("?", "")
    # Every word of the SQL is a constant of ours: the value appears only among the parameters.
    allowed = set(_fragments(fact).replace("(", " ").replace(")", " ").replace(",", " ").split())
    allowed |= {
        "SELECT",
        "FROM",
        "WHERE",
        "AND",
        "GROUP",
        "BY",
        "ORDER",
        "LIMIT",
        "AS",
        "ASC",
        "DESC",
        "IN",
        "LIKE",
        "ILIKE",
        "ESCAPE",
        "'\\'",
        "=",
        "<>",
        "<",
        "<=",
        ">",
        ">=",
        "1",
        "q.quantity",
        "d0",
        "m0",
        "b.supplier_id",
        "o.supplier_id",
        *(str(n) for n in range(rules.MAX_ROWS + 1) if n in (1000,)),
    }
    words = set(skeleton.replace("(", " ").replace(")", " ").replace(",", " ").split())
    assert words <= allowed, words - allowed
    assert (7 in query.params) == (scoped is not None)


def _ascii_upper(text: str) -> str:
    return "".join(c.upper() if "a" <= c <= "z" else c for c in text)


@given(value=hostile)
def test_hostile_values_run_on_sqlite_as_plain_data(value: str) -> None:
    db = sqlite3.connect(":memory:")
    db.executescript(
        "CREATE TABLE sku (id INTEGER PRIMARY KEY, code TEXT, name_zh TEXT);"
        "CREATE TABLE warehouse (id INTEGER PRIMARY KEY, code TEXT);"
        "CREATE TABLE supplier (id INTEGER PRIMARY KEY, code TEXT, name TEXT);"
        "CREATE TABLE batch (id INTEGER PRIMARY KEY, lot_code TEXT, status TEXT, supplier_id INT,"
        " expiry_date DATE, best_before_date DATE);"
        "CREATE TABLE stock_quant (id INTEGER PRIMARY KEY, sku_id INT, warehouse_id INT, batch_id INT,"
        " status TEXT, quantity NUMERIC, reserved NUMERIC);"
        "INSERT INTO sku VALUES (1, 'MILK', '牛奶'); INSERT INTO warehouse VALUES (1, 'WH');"
        "INSERT INTO supplier VALUES (1, 'SUP', 's');"
        "INSERT INTO batch VALUES (1, 'L1', 'available', 1, '2026-12-05', NULL);"
        "INSERT INTO stock_quant VALUES (1, 1, 1, 1, 'available', 5, 0);"
    )
    for op in (Op.EQ, Op.CONTAINS, Op.IN):
        spec = ReportSpec("stock", ("sku_code",), ("quantity",), (Filter("sku_code", op, (value,)),))
        if _unstorable(value):
            with pytest.raises(ValidationError):
                rules.compile_report(spec, TODAY, postgres=False, supplier_id=None)
            continue
        query = rules.compile_report(spec, TODAY, postgres=False, supplier_id=None)
        rows = db.execute(query.sql, query.params).fetchall()
        # contains folds ASCII case (SQLite's LIKE; ILIKE on PostgreSQL); eq and in are exact.
        expected = value == "MILK" if op is not Op.CONTAINS else _ascii_upper(value) in "MILK"
        assert rows == ([("MILK", 5)] if expected else [])
    assert db.execute("SELECT count(*) FROM sku").fetchone() == (1,)


@pytest.mark.parametrize("value", ["\x00", "\x00MILK", "MI\x00", "\ud800"])
def test_a_filter_value_holding_nul_or_a_lone_surrogate_is_refused(value: str) -> None:
    # SQLite's LIKE reads a pattern up to its first NUL, so "%\x00%" matched every row (CI, stop 8).
    for op in (Op.EQ, Op.CONTAINS, Op.IN):
        spec = ReportSpec("stock", ("sku_code",), ("quantity",), (Filter("sku_code", op, (value,)),))
        with pytest.raises(ValidationError) as err:
            rules.compile_report(spec, TODAY, postgres=True, supplier_id=None)
        assert err.value.path[0] == "filters"


def test_within_days_binds_today_and_the_horizon() -> None:
    spec = ReportSpec(
        "expiry", ("lot_code",), ("quantity",), (Filter("expiry_date", Op.WITHIN_DAYS, ("30",)),)
    )
    query = rules.compile_report(spec, TODAY, postgres=True, supplier_id=None)
    assert query.params == [TODAY, date(2026, 12, 30)]
    assert "b.expiry_date >= $1 AND b.expiry_date <= $2" in query.sql


@pytest.mark.parametrize(
    ("flt", "path"),
    [
        (Filter("expiry_date", Op.EQ, ("not a date",)), ("filters", "0", "values")),
        (Filter("expiry_date", Op.CONTAINS, ("1",)), ("filters", "0", "op")),
        (Filter("sku_code", Op.WITHIN_DAYS, ("3",)), ("filters", "0", "op")),
        (Filter("expiry_date", Op.WITHIN_DAYS, ("-1",)), ("filters", "0", "values")),
        (Filter("sku_code", Op.EQ, ("a", "b")), ("filters", "0", "values")),
    ],
)
def test_bad_filter_values_are_refused_with_their_path(flt: Filter, path: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as caught:
        rules.compile_report(ReportSpec("expiry", ("sku_code",), (), (flt,)), TODAY, True, None)
    assert caught.value.path == path


def test_a_supplier_may_not_run_a_fact_without_a_supplier_column() -> None:
    with pytest.raises(Forbidden):
        rules.compile_report(ReportSpec("journal", (), ("lines",)), TODAY, True, supplier_id=3)


# Custom fields (issue 17): ``custom.<record>.<key>`` names resolve only against the definitions passed in.
DEFS = {"sku": {"taxExempt": "boolean", "grade": "enum", "weight": "decimal", "harvested": "date"}}
SAMPLE = {"taxExempt": "true", "grade": "A", "weight": "1.5", "harvested": "2026-01-02"}


@given(
    fact=st.sampled_from(sorted(FACTS)),
    record=st.sampled_from(["sku", "batch", "supplier", "sales_order"]) | hostile,
    key=hostile | st.sampled_from(sorted(DEFS["sku"])),
    position=st.sampled_from(["dim", "field"]),
    postgres=st.booleans(),
)
def test_a_custom_name_outside_the_definitions_is_refused_and_a_known_one_is_our_sql(
    fact: str, record: str, key: str, position: str, postgres: bool
) -> None:
    f = FACTS[fact]
    name = f"custom.{record}.{key}"
    dim = next(iter(f.dimensions))
    spec = {
        "dim": ReportSpec(fact, (name,), ()),
        "field": ReportSpec(fact, (dim,), (), (Filter(name, Op.EQ, (SAMPLE.get(key, "x"),)),)),
    }[position]
    known = record in f.records and key in DEFS.get(record, {})
    if not known:
        with pytest.raises(ValidationError):
            rules.compile_report(spec, TODAY, postgres=postgres, supplier_id=None, defs=DEFS)
        return
    query = rules.compile_report(spec, TODAY, postgres=postgres, supplier_id=None, defs=DEFS)
    assert f"{f.records[record]}.custom" in query.sql
    assert len(query.params) == (0 if position == "dim" else 1)


@given(key=hostile.filter(lambda k: not k.isalnum()), postgres=st.booleans())
def test_a_definition_whose_key_is_not_plain_letters_never_reaches_the_sql(key: str, postgres: bool) -> None:
    # Definitions are checked when saved; if one were not, compiling still refuses it.
    defs = {"sku": {key: "text"}}
    with pytest.raises(ValidationError):
        rules.compile_report(
            ReportSpec("stock", (f"custom.sku.{key}",), ("quantity",)), TODAY, postgres, None, defs
        )


@given(value=hostile, kind=st.sampled_from(["taxExempt", "grade"]))
def test_hostile_values_on_a_custom_filter_run_on_sqlite_as_plain_data(value: str, kind: str) -> None:
    db = sqlite3.connect(":memory:")
    db.executescript(
        "CREATE TABLE sku (id INTEGER PRIMARY KEY, code TEXT, name_zh TEXT, custom JSON);"
        "CREATE TABLE warehouse (id INTEGER PRIMARY KEY, code TEXT);"
        "CREATE TABLE supplier (id INTEGER PRIMARY KEY, code TEXT, name TEXT, custom JSON);"
        "CREATE TABLE batch (id INTEGER PRIMARY KEY, lot_code TEXT, status TEXT, supplier_id INT,"
        " expiry_date DATE, best_before_date DATE, custom JSON);"
        "CREATE TABLE stock_quant (id INTEGER PRIMARY KEY, sku_id INT, warehouse_id INT, batch_id INT,"
        " status TEXT, quantity NUMERIC, reserved NUMERIC);"
        """INSERT INTO sku VALUES (1, 'MILK', '牛奶', '{"taxExempt": true, "grade": "A"}');"""
        "INSERT INTO warehouse VALUES (1, 'WH'); INSERT INTO supplier VALUES (1, 'SUP', 's', '{}');"
        "INSERT INTO batch VALUES (1, 'L1', 'available', 1, '2026-12-05', NULL, '{}');"
        "INSERT INTO stock_quant VALUES (1, 1, 1, 1, 'available', 5, 0);"
    )
    name = f"custom.sku.{kind}"
    spec = ReportSpec("stock", (name,), ("quantity",), (Filter(name, Op.EQ, (value,)),))
    if _unstorable(value):
        with pytest.raises(ValidationError):
            rules.compile_report(spec, TODAY, postgres=False, supplier_id=None, defs=DEFS)
        return
    query = rules.compile_report(spec, TODAY, postgres=False, supplier_id=None, defs=DEFS)
    rows = db.execute(query.sql, query.params).fetchall()
    stored = "true" if kind == "taxExempt" else "A"
    assert rows == ([(stored, 5)] if value == stored else [])
    assert query.params == [value]
    assert db.execute("SELECT count(*) FROM sku").fetchone() == (1,)
