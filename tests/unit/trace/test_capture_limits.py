"""What a captured document may hold beyond the schema: I-JSON numbers and text (RFC 7493, which RFC 8785's
canonical JSON assumes), and the event hash's number normalisation over any digit string."""

from hypothesis import given
from hypothesis import strategies as st

from domain.trace import epcis
from domain.trace.event_hash_canon import normalise_number


@given(st.from_regex(r"[+-]?[0-9]{1,60}", fullmatch=True))
def test_an_integer_is_normalised_as_int_reads_it(text: str) -> None:
    assert normalise_number(text) == str(int(text))


def test_a_long_integer_is_normalised_without_int() -> None:
    assert normalise_number("-000" + "9" * 5000) == "-" + "9" * 5000  # int() refuses past 4,300 digits


def test_only_ascii_digits_are_numbers() -> None:
    for text in ("١٢", "１２", "١٢.٥", "²"):
        assert normalise_number(text) == text  # text, as the algorithm's reference implementation reads it


def test_ijson_problems_name_the_leaf() -> None:
    document = {
        "a": [1, 2**53 - 1, -(2**53 - 1), 2**53, 1.5, float("inf")],
        "b": {"c": "ok\\u0000", "d\ud800": "x", "e": "\udfff"},
        "f": True,
        "g": None,
    }
    found = [(p.path, p.message) for p in epcis.ijson_problems(document)]
    assert found == [
        ("/a/3", "integer beyond ±(2**53 - 1)"),
        ("/a/5", "not a finite number"),
        ("/b/d\ud800", "holds a lone surrogate (not Unicode text)"),
        ("/b/e", "holds a lone surrogate (not Unicode text)"),
    ]
