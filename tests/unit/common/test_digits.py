"""Digits and record keys as the code reads them from text (``domain.common.digits``): one spelling per key,
and no other digit test in the code (``str.isdigit`` passes "²" to ``int()``, a crash, and "١٢" as 12)."""

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.digits import BIGINT_MAX, ascii_digits, key_of

ROOT = Path(__file__).resolve().parents[3]
CODE = ("api", "chain", "domain", "lotline", "supplier_portal", "workers")


@given(st.text())
def test_ascii_digits_are_exactly_what_int_reads_as_written(text: str) -> None:
    assert ascii_digits(text) == (text != "" and all(c in "0123456789" for c in text))


@given(st.integers(0, BIGINT_MAX))
def test_every_key_has_its_decimal_spelling(key: int) -> None:
    assert key_of(str(key)) == key


@given(st.text(max_size=25))
def test_a_text_names_a_key_only_in_the_keys_own_spelling(text: str) -> None:
    key = key_of(text)
    assert key is None or (str(key) == text and 0 <= key <= BIGINT_MAX)


OTHER_SPELLINGS = ["١٢", "１２", "²", "+12", "-12", " 12", "12\n", "012", "1_2", ""]
OTHER_SPELLINGS += [str(BIGINT_MAX + 1), "9" * 5000]


@pytest.mark.parametrize("text", OTHER_SPELLINGS)
def test_other_spellings_name_no_key(text: str) -> None:
    assert key_of(text) is None


def test_the_code_tests_digits_only_through_domain_common_digits() -> None:
    found = []
    for package in CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "digits.py" and path.parent.name == "common":
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("isdigit", "isnumeric", "isdecimal")
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == [], "use domain.common.digits (ascii_digits, key_of), not str.isdigit"
