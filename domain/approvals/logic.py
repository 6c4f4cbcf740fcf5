"""A JSON Logic (https://jsonlogic.com) evaluator over exact decimals: approval rules' condition language.

Why our own and not a package: the maintained one in our index (``datalogic-py``) computes in binary floats
and ``json-logic`` 0.6.3 has not changed since 2015. Approval conditions compare money ("amount > 100000.00"),
so numbers here are ``Decimal`` end to end, and the operator set is a closed table: a rule is data, nothing in
it can name a Python attribute, import or call anything (never ``eval``). Supported: ``var``, ``missing``,
``==`` ``!=`` ``===`` ``!==``, ``<`` ``<=`` (also the three-argument "between" form) ``>`` ``>=``, ``and``
``or`` ``!`` ``!!``, ``if``, ``in``, ``+`` ``-`` ``*`` ``/`` ``min`` ``max``. Departures from the spec, on
purpose: a comparison with a missing or non-numeric side is false (JavaScript would coerce ``null`` to 0, so
"terms > 90" would silently hold for ``-1 > null``); division by zero is a ``LogicError``, not ``Infinity``.
"""

import itertools
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.common.digits import ascii_digits

MAX_DEPTH = 32
MAX_NODES = 500


class LogicError(ValueError):
    """A malformed expression: unknown operator, wrong arity, too deep or too big, division by zero."""


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | str):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def truthy(value: Any) -> bool:
    """JSON Logic truthiness: 0, "", [], null and false are false (``"0"`` is true, as in the spec)."""
    if isinstance(value, Decimal):
        return value != 0
    return bool(value)


def _lookup(data: Any, path: Any, default: Any = None) -> Any:
    if path is None or path == "":
        return data
    current = data
    for part in str(path).split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and ascii_digits(part) and len(part) <= 9 and int(part) < len(current):
            current = current[int(part)]
        else:
            return default
    return current


def _equal(a: Any, b: Any) -> bool:
    # Loose equality as the spec's JavaScript ``==`` for the cases rules meet: two strings compare as
    # strings, a number and a numeric string as numbers ("90" == 90), anything else by value.
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if not isinstance(a, bool) and not isinstance(b, bool):
        na, nb = _number(a), _number(b)
        if na is not None and nb is not None:
            return na == nb
    return bool(a == b)


def _strict_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    na, nb = _number(a), _number(b)
    if not isinstance(a, str) and not isinstance(b, str) and na is not None and nb is not None:
        return na == nb
    return type(a) is type(b) and bool(a == b)


def _compare(values: list[Any], ok: Callable[[Decimal, Decimal], bool]) -> bool:
    if len(values) not in (2, 3):
        raise LogicError("a comparison takes two values (or three: between)")
    numbers = [_number(v) for v in values]
    if any(n is None for n in numbers):
        return False
    return all(ok(a, b) for a, b in itertools.pairwise(numbers))  # type: ignore[arg-type]


def _arith(op: str, values: list[Any]) -> Decimal:
    numbers = [_number(v) for v in values]
    if not numbers or any(n is None for n in numbers):
        raise LogicError(f"{op} needs numbers")
    nums: list[Decimal] = [n for n in numbers if n is not None]
    if op == "+":
        return sum(nums, Decimal(0))
    if op == "*":
        result = Decimal(1)
        for n in nums:
            result *= n
        return result
    if op == "-":
        return -nums[0] if len(nums) == 1 else nums[0] - nums[1]
    if op == "/":
        if len(nums) != 2 or nums[1] == 0:
            raise LogicError("/ takes two numbers and a non-zero divisor")
        return nums[0] / nums[1]
    return min(nums) if op == "min" else max(nums)


_LAZY = {"and", "or", "if", "?:"}
OPERATORS = frozenset(
    {"var", "missing", "==", "!=", "===", "!==", "<", "<=", ">", ">=", "!", "!!", "in"}
    | {"+", "-", "*", "/", "min", "max"}
    | _LAZY
)


def evaluate(expr: Any, data: Mapping[str, Any], checked: bool = False) -> Any:
    """Evaluates a JSON Logic expression against ``data`` (a mapping of facts; numbers may be ``Decimal``).

    Raises ``LogicError`` for an unknown operator or a malformed, too deep (>32) or too big (>500 nodes)
    expression. Returns a JSON value (numbers as ``Decimal``). ``checked``: the expression already passed
    ``check`` (a stored rule), so its size is not measured again; unknown operators are refused anyway.
    """
    if not checked:
        check(expr)
    return _eval(expr, data)


def check(expr: Any) -> None:
    """Validates an expression's shape without data: known operators only, depth ≤ 32, ≤ 500 nodes."""
    count = 0

    def walk(node: Any, depth: int) -> None:
        nonlocal count
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            raise LogicError(f"an expression is at most {MAX_DEPTH} deep and {MAX_NODES} nodes")
        if isinstance(node, Mapping):
            if len(node) != 1:
                raise LogicError("an operation is an object with exactly one key")
            ((op, args),) = node.items()
            if not isinstance(op, str) or op not in OPERATORS:
                raise LogicError(f"unknown operator {op!r}")
            for arg in args if isinstance(args, list) else [args]:
                walk(arg, depth + 1)
        elif isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif not (node is None or isinstance(node, str | bool | int | float | Decimal)):
            raise LogicError(f"a {type(node).__name__} is not a JSON value")

    walk(expr, 0)


def _eval(expr: Any, data: Mapping[str, Any]) -> Any:
    # ``type(...) is`` rather than ``isinstance(..., Mapping)``: expressions are parsed JSON (dicts and
    # lists), and the ABC check was half the evaluation time (bench/bench_lowcode_flow.py).
    kind = type(expr)
    if kind is list:
        return [_eval(e, data) for e in expr]
    if kind is not dict:
        return _number(expr) if kind is int or kind is float else expr
    if len(expr) != 1:
        raise LogicError("an operation is an object with exactly one key")
    ((op, raw),) = expr.items()
    if op not in OPERATORS:
        raise LogicError(f"unknown operator {op!r}")
    args = raw if isinstance(raw, list) else [raw]
    if op in _LAZY:
        return _lazy(op, args, data)
    values = [_eval(a, data) for a in args]
    if op == "var":
        return _lookup(data, values[0] if values else None, values[1] if len(values) > 1 else None)
    if op == "missing":
        return [k for k in values if _lookup(data, k) in (None, "")]
    if op in ("==", "!=", "===", "!=="):
        if len(values) != 2:
            raise LogicError(f"{op} takes two values")
        same = _equal(*values) if op in ("==", "!=") else _strict_equal(*values)
        return same if op in ("==", "===") else not same
    if op in ("<", "<=", ">", ">="):
        table: dict[str, Callable[[Decimal, Decimal], bool]] = {
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }
        return _compare(values, table[op])
    if op == "!":
        return not truthy(values[0] if values else None)
    if op == "!!":
        return truthy(values[0] if values else None)
    if op == "in":
        if len(values) != 2:
            raise LogicError("in takes a needle and a list or string")
        needle, hay = values
        if isinstance(hay, str):
            return isinstance(needle, str) and needle in hay
        return isinstance(hay, list) and any(_equal(needle, h) for h in hay)
    return _arith(op, values)


def _lazy(op: str, args: list[Any], data: Mapping[str, Any]) -> Any:
    if op == "and":
        value: Any = True
        for a in args:
            value = _eval(a, data)
            if not truthy(value):
                return value
        return value
    if op == "or":
        value = False
        for a in args:
            value = _eval(a, data)
            if truthy(value):
                return value
        return value
    # if / ?: — condition, then, [condition, then, ...], else
    i = 0
    while i + 1 < len(args):
        if truthy(_eval(args[i], data)):
            return _eval(args[i + 1], data)
        i += 2
    return _eval(args[i], data) if i < len(args) else None
