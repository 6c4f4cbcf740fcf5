"""Every input of the schema at its bounds, generated from the schema and the models' metadata: a new
field or a changed column is covered without a new test. Exactly the limit passes, one more fails."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from graphql import GraphQLInputObjectType, GraphQLScalarType, get_named_type

from api.boundary import columns
from api.boundary.check import scalar_problem
from api.schema import create_schema
from lotline.config import Settings

CHECKED = ("String", "ID", "Decimal", "Int", "Date", "DateTime")


def _inputs() -> list[tuple[str, str]]:
    """(coordinate, scalar name) of every input of a CHECKED scalar: arguments and input fields."""
    schema = create_schema(Settings())._schema
    found: list[tuple[str, str]] = []
    seen: set[str] = set()

    def visit(coordinate: str, gtype: object) -> None:
        named = get_named_type(gtype)  # type: ignore[arg-type]
        if isinstance(named, GraphQLInputObjectType):
            if named.name not in seen:
                seen.add(named.name)
                for name, field in named.fields.items():
                    visit(f"{named.name}.{name}", field.type)
        elif isinstance(named, GraphQLScalarType) and named.name in (
            "String",
            "ID",
            "Decimal",
            "Int",
            "Date",
            "DateTime",
        ):
            found.append((coordinate, named.name))

    for root in (schema.query_type, schema.mutation_type):
        assert root is not None
        for field_name, field in root.fields.items():
            for arg_name, arg in field.args.items():
                visit(f"{root.name}.{field_name}({arg_name})", arg.type)
    return found


INPUTS = _inputs()
TEXTS = [(c, s, columns.bound_of(c, s)) for c, s in INPUTS if s in ("String", "ID")]
DECIMALS = [(c, columns.bound_of(c, s)) for c, s in INPUTS if s == "Decimal"]
MOMENTS = [(c, s) for c, s in INPUTS if s in ("Date", "DateTime")]
PAGES = [(c, columns.bound_of(c, s)) for c, s in INPUTS if c.endswith("(first)")]


def test_the_schema_has_inputs_of_each_kind() -> None:
    assert len(MOMENTS) > 20
    assert len(TEXTS) > 150
    assert len(DECIMALS) > 20
    assert len(PAGES) > 25


@pytest.mark.parametrize(("coordinate", "scalar"), INPUTS)
def test_every_text_and_decimal_input_is_bound_to_a_column_or_a_named_rule(
    coordinate: str, scalar: str
) -> None:
    bound = columns.bound_of(coordinate, scalar)
    if scalar in ("Int", "Date", "DateTime"):
        return  # an Int is 32-bit like every integer column; page sizes, dates and times are checked below
    assert bound is not None, f"bind {coordinate} in api/boundary/columns.py"
    if scalar == "Decimal":
        assert bound.max_digits > bound.places >= 0, coordinate
    else:
        assert bound.kind is not None, coordinate
        assert bound.max_length > 0, coordinate


@pytest.mark.parametrize(("coordinate", "scalar", "bound"), TEXTS)
def test_a_text_of_exactly_its_column_length_passes_and_one_more_fails(
    coordinate: str, scalar: str, bound: columns.Bound
) -> None:
    n = bound.max_length
    assert scalar_problem(scalar, "A" * n, coordinate) is None
    assert scalar_problem(scalar, "测" * n, coordinate) is None  # characters, not bytes
    assert scalar_problem(scalar, "A" * (n + 1), coordinate) == (
        f"is {n + 1} characters long, at most {n} are allowed"
    )


@pytest.mark.parametrize(("coordinate", "scalar", "bound"), TEXTS)
def test_no_text_input_takes_nul_a_control_character_or_a_bidi_override(
    coordinate: str, scalar: str, bound: columns.Bound
) -> None:
    assert scalar_problem(scalar, "a\x00b", coordinate) == "contains a control character (U+0000)"
    assert scalar_problem(scalar, "a\x1bb", coordinate) == "contains a control character (U+001B)"
    assert scalar_problem(scalar, "a\u202eb", coordinate) == (
        "contains a bidirectional control character (U+202E)"
    )
    assert scalar_problem(scalar, "a\ud800b", coordinate) == "contains a lone surrogate (U+D800)"


@pytest.mark.parametrize(
    ("coordinate", "scalar", "bound"), [t for t in TEXTS if t[2] and t[2].kind == "code"]
)
def test_a_code_takes_no_invisible_or_line_breaking_character(
    coordinate: str, scalar: str, bound: columns.Bound
) -> None:
    assert (
        scalar_problem(scalar, "A\u200bB", coordinate)
        == "contains an invisible formatting character (U+200B)"
    )
    assert scalar_problem(scalar, "A\nB", coordinate) == "contains a control character (U+000A)"
    if coordinate.startswith("Query."):  # a filter: surrounding spaces are trimmed, not refused
        assert scalar_problem(scalar, " A ", coordinate) is None
    else:
        assert scalar_problem(scalar, " A", coordinate) == "must not start or end with a space"
    assert scalar_problem(scalar, "A-1 B", coordinate) is None


@pytest.mark.parametrize(("coordinate", "bound"), DECIMALS)
def test_a_decimal_of_exactly_its_column_precision_passes_and_one_digit_more_fails(
    coordinate: str, bound: columns.Bound
) -> None:
    whole, places = bound.max_digits - bound.places, bound.places
    widest = Decimal("9" * whole + ("." + "9" * places if places else ""))
    for value in (widest, -widest, Decimal(0), Decimal(f"1E+{whole - 1}"), Decimal("1.000000")):
        assert scalar_problem("Decimal", value, coordinate) is None, value
    assert scalar_problem("Decimal", Decimal("1" + "0" * whole), coordinate) == (
        f"has more than {whole} digits before the decimal point"
    )
    too_fine = Decimal("0." + "0" * places + "1")
    expected = f"has more than {places} decimal places" if places else "must be a whole number"
    assert scalar_problem("Decimal", too_fine, coordinate) == expected
    for special in ("NaN", "-Infinity", "sNaN"):
        assert scalar_problem("Decimal", Decimal(special), coordinate) == (
            'must be a finite decimal number, e.g. "12.5"'
        )


@pytest.mark.parametrize(("coordinate", "bound"), PAGES)
def test_a_page_size_from_zero_to_its_maximum_passes_and_outside_fails(
    coordinate: str, bound: columns.Bound
) -> None:
    assert bound.minimum == 0
    assert bound.maximum is not None
    assert scalar_problem("Int", 0, coordinate) is None
    assert scalar_problem("Int", bound.maximum, coordinate) is None
    assert scalar_problem("Int", -1, coordinate) == "must be at least 0"
    assert scalar_problem("Int", bound.maximum + 1, coordinate) == f"must be at most {bound.maximum}"


@pytest.mark.parametrize(("coordinate", "scalar"), MOMENTS)
def test_a_date_or_time_between_1900_and_2999_passes_and_outside_fails(coordinate: str, scalar: str) -> None:
    first, last = (date(1900, 1, 1), date(2999, 12, 31))
    outside = "must fall between 1900-01-01 and 2999-12-31"
    if scalar == "Date":
        assert scalar_problem(scalar, first, coordinate) is None
        assert scalar_problem(scalar, last, coordinate) is None
        assert scalar_problem(scalar, first - timedelta(days=1), coordinate) == outside
        assert scalar_problem(scalar, last + timedelta(days=1), coordinate) == outside
        return
    east = timezone(timedelta(hours=14))
    assert scalar_problem(scalar, datetime(1900, 1, 1, tzinfo=UTC), coordinate) is None
    assert scalar_problem(scalar, datetime(2999, 12, 31, 23, 59, tzinfo=UTC), coordinate) is None
    assert scalar_problem(scalar, datetime(1900, 1, 1, 13, tzinfo=east), coordinate) == outside
    assert scalar_problem(scalar, datetime(1, 1, 1, tzinfo=east), coordinate) == outside
    assert scalar_problem(scalar, datetime(2026, 3, 1), coordinate) == (  # noqa: DTZ001 - the naive case
        "must carry its UTC offset, e.g. 2026-03-01T08:00:00+08:00"
    )
