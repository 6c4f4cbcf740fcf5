"""Partner field mappings, pure: a declarative spec that turns a partner's JSON into our input fields.

A spec (JSON, stored versioned per partner) names, for each of our fields, where the partner's value is and
how to transform it; lines are read the same way from each item of a list::

    {"target": "asn",
     "decode": ["message"],                         # top-level strings that hold JSON (Ele.me pushes)
     "root": "epcisBody.eventList[0]",              # optional: where the document starts
     "fields": {"purchaseOrderNumber": {"path": "bizTransactionList[?type=='po'] | [0].bizTransaction",
                                        "transforms": [{"op": "lookup", "table": "orders"}]},
                "expectedArrival": {"path": "eventTime", "transforms": [{"op": "datetime"}]},
                "note": {"value": "EPCIS"}},
     "lines": {"path": "quantityList",
               "fields": {"gtin": {"path": "epcClass", "transforms": [{"op": "gtin"}]},
                          "quantity": {"path": "quantity",
                                       "transforms": [{"op": "convert", "unitPath": "uom",
                                                       "factors": {"KGM": "1", "GRM": "0.001"}}]}}},
     "tables": {"orders": {"urn:epc:id:gdti:0614141.00001.1618034": "PO000001"}}}

Paths are JMESPath (https://jmespath.org/specification.html), at most ``MAX_PATH`` characters; a line's
paths start at its item. ``value`` is a constant; ``default`` applies when the path finds nothing. Transforms,
applied in order: ``text``, ``decimal`` (exact: a JSON number is read from its shortest text), ``date``
(``format``: strptime, default ISO 8601), ``datetime`` (ISO 8601; ``zone``: an offset like ``+08:00`` for
times written without one), ``lookup`` (a code in a table of the spec or of ours: ``tables``), ``convert``
(multiply by the factor of the partner's unit found at ``unitPath``), ``gtin`` and ``lot`` (from a GS1 EPC
URI or Digital Link), ``epoch_ms`` (milliseconds since 1970 to ISO 8601 UTC).

A dry run is ``apply``: the mapped values and every field's problem with its path, never an exception.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError

from domain.trace import digital_link

MAX_PATH = 500
MAX_LINES = 500
MAX_SPEC_FIELDS = 60

# Our inputs per target: field -> (kind, required). Lines have a separate table.
TARGETS: dict[str, tuple[dict[str, tuple[str, bool]], dict[str, tuple[str, bool]]]] = {
    "asn": (
        {
            "purchaseOrderNumber": ("text", True),
            "expectedArrival": ("datetime", True),
            "note": ("text", False),
        },
        {
            "skuCode": ("text", False),
            "gtin": ("text", False),
            "lotCode": ("text", True),
            "quantity": ("decimal", True),
            "productionDate": ("date", False),
            "expiryDate": ("date", False),
            "bestBeforeDate": ("date", False),
        },
    ),
    "sales_order": (
        {
            "customerCode": ("text", True),
            "warehouseCode": ("text", True),
            "requestedDate": ("date", False),
            "note": ("text", False),
        },
        {"skuCode": ("text", True), "quantity": ("decimal", True), "unitPrice": ("decimal", False)},
    ),
    "price_list": (
        {"validFrom": ("date", False), "currency": ("text", False)},
        {
            "skuCode": ("text", False),
            "gtin": ("text", False),
            "unit": ("text", False),
            "unitPrice": ("decimal", True),
        },
    ),
}

Path = tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str


@dataclass
class Mapped:
    """A dry run's outcome: header values, one dict per line, and every problem (empty: ready to apply)."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class TransformError(ValueError):
    pass


def _decimal(value: Any) -> str:
    if isinstance(value, bool):
        raise TransformError("is not a number")
    text = repr(value) if isinstance(value, float) else str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise TransformError(f"{text!r} is not a decimal number") from None
    if not number.is_finite():
        raise TransformError("is not a finite number")
    out = format(number.normalize(), "f")
    return "0" if out == "-0" else out


def _datetime(value: Any, step: Mapping[str, Any]) -> str:
    try:
        at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise TransformError(f"{value!r} is not an ISO 8601 date-time") from None
    if at.tzinfo is None:
        zone = step.get("zone")
        if not isinstance(zone, str):
            raise TransformError("has no zone and the mapping gives none")
        at = datetime.fromisoformat(at.isoformat() + zone)
    return at.isoformat()


def _date(value: Any, step: Mapping[str, Any]) -> str:
    fmt = step.get("format")
    try:
        if isinstance(fmt, str):
            return datetime.strptime(str(value), fmt).date().isoformat()  # noqa: DTZ007 - a date, no zone
        return datetime.fromisoformat(str(value)).date().isoformat()
    except ValueError:
        raise TransformError(
            f"{value!r} is not a date{' in ' + fmt if isinstance(fmt, str) else ''}"
        ) from None


def _gs1(value: Any, ai: str) -> str:
    link = digital_link.normalise(str(value)) if isinstance(value, str) else None
    found = re.search(rf"/{ai}/([^/?]+)", link or "")
    if not found:
        raise TransformError(f"{value!r} carries no GS1 {'GTIN' if ai == '01' else 'lot'}")
    return found.group(1)


def transform(value: Any, step: Mapping[str, Any], item: Any, tables: Mapping[str, Mapping[str, str]]) -> Any:
    """One transform step on ``value`` (``item``: the object the field was read from, for ``unitPath``)."""
    op = step.get("op")
    if op == "text":
        return str(value).strip()
    if op == "decimal":
        return _decimal(value)
    if op == "date":
        return _date(value, step)
    if op == "datetime":
        return _datetime(value, step)
    if op == "epoch_ms":
        if isinstance(value, bool) or not isinstance(value, int):
            raise TransformError("is not a whole number of milliseconds")
        return datetime.fromtimestamp(value / 1000, UTC).isoformat()
    if op == "lookup":
        table = tables.get(str(step.get("table")), {})
        key = str(value)
        if key not in table:
            raise TransformError(f"{key!r} is not in table {step.get('table')}")
        return table[key]
    if op == "convert":
        unit = search(str(step.get("unitPath", "")), item) if step.get("unitPath") else step.get("unit")
        factors = step.get("factors") or {}
        if str(unit) not in factors:
            raise TransformError(f"unit {unit!r} has no factor")
        return _decimal(Decimal(_decimal(value)) * Decimal(str(factors[str(unit)])))
    if op == "gtin":
        return _gs1(value, "01")
    if op == "lot":
        return _gs1(value, "10")
    raise TransformError(f"unknown transform {op!r}")


def search(path: str, data: Any) -> Any:
    if len(path) > MAX_PATH:
        raise TransformError(f"a path has at most {MAX_PATH} characters")
    try:
        return jmespath.search(path, data)
    except JMESPathError as exc:
        raise TransformError(f"path {path!r}: {exc}") from None


def spec_problems(spec: Any) -> list[Problem]:
    """What is wrong with a spec itself: unknown target or field, bad path, unknown transform."""
    if not isinstance(spec, dict) or spec.get("target") not in TARGETS:
        return [Problem(("target",), f"target is one of {', '.join(TARGETS)}")]
    header, line_fields = TARGETS[spec["target"]]
    found: list[Problem] = []
    sections: list[tuple[Path, Any, dict[str, tuple[str, bool]]]] = [
        (("fields",), spec.get("fields"), header)
    ]
    if "lines" in spec:
        lines = spec["lines"] if isinstance(spec["lines"], dict) else {}
        sections.append((("lines", "fields"), lines.get("fields"), line_fields))
        found += _path_problem(("lines", "path"), lines.get("path"))
    for path, given, allowed in sections:
        if not isinstance(given, dict) or len(given) > MAX_SPEC_FIELDS:
            found.append(Problem(path, f"an object of at most {MAX_SPEC_FIELDS} fields"))
            continue
        for name, rule in given.items():
            if name not in allowed:
                found.append(Problem((*path, name), f"{name} is not a field of {spec['target']}"))
            elif not isinstance(rule, dict):
                found.append(
                    Problem((*path, name), "a field is an object with path, value, default, transforms")
                )
            elif "path" in rule:
                found += _path_problem((*path, name, "path"), rule["path"])
    if "root" in spec:
        found += _path_problem(("root",), spec["root"])
    return found


def _path_problem(path: Path, expression: Any) -> list[Problem]:
    if not isinstance(expression, str) or not expression or len(expression) > MAX_PATH:
        return [Problem(path, f"a JMESPath expression of 1 to {MAX_PATH} characters")]
    try:
        jmespath.compile(expression)
    except JMESPathError as exc:
        return [Problem(path, f"not a JMESPath expression: {exc}")]
    return []


def _field(
    name: str, rule: Mapping[str, Any], data: Any, tables: Mapping[str, Mapping[str, str]], path: Path
) -> tuple[Any, Problem | None]:
    try:
        value = rule["value"] if "value" in rule else search(str(rule.get("path", "")), data)
        if value is None or value == "":
            return rule.get("default"), None
        for i, step in enumerate(rule.get("transforms") or []):
            try:
                value = transform(value, step if isinstance(step, dict) else {}, data, tables)
            except TransformError as exc:
                return None, Problem((*path, name), f"{name} (transform {i}) {exc}")
        return value, None
    except TransformError as exc:
        return None, Problem((*path, name), f"{name} {exc}")


def _required(section: dict[str, Any], allowed: dict[str, tuple[str, bool]], path: Path) -> list[Problem]:
    return [
        Problem((*path, name), f"{name} is required and the mapping found no value")
        for name, (_, required) in allowed.items()
        if required and section.get(name) is None
    ]


def decode(payload: Any, keys: list[str]) -> Any:
    """``payload`` with the named top-level JSON strings decoded (Ele.me sends the order as a string)."""
    if not isinstance(payload, dict) or not keys:
        return payload
    out = dict(payload)
    for key in keys:
        if isinstance(out.get(key), str):
            try:
                out[key] = json.loads(out[key])
            except json.JSONDecodeError as exc:
                raise TransformError(f"{key} is not JSON: {exc.msg}") from None
    return out


def apply(
    spec: Mapping[str, Any], payload: Any, tables: Mapping[str, Mapping[str, str]] | None = None
) -> Mapped:
    """Maps ``payload`` by ``spec`` (already free of ``spec_problems``). ``tables`` are our own code tables,
    merged over the spec's. Every field is tried: the result lists all problems at once."""
    header, line_fields = TARGETS[spec["target"]]
    all_tables = {**(spec.get("tables") or {}), **(tables or {})}
    out = Mapped()
    try:
        data = decode(payload, list(spec.get("decode") or []))
        if spec.get("root"):
            data = search(spec["root"], data)
    except TransformError as exc:
        out.problems.append(Problem(("root",), str(exc)))
        return out
    for name, rule in (spec.get("fields") or {}).items():
        value, problem = _field(name, rule, data, all_tables, ())
        out.values[name] = value
        if problem:
            out.problems.append(problem)
    seen = {p.path for p in out.problems}  # a field that failed is not also reported as missing
    out.problems += [p for p in _required(out.values, header, ()) if p.path not in seen]
    if "lines" not in spec:
        return out
    try:
        items = search(spec["lines"]["path"], data)
    except TransformError as exc:
        out.problems.append(Problem(("lines",), str(exc)))
        return out
    if not isinstance(items, list) or not items or len(items) > MAX_LINES:
        out.problems.append(Problem(("lines",), f"the lines path finds a list of 1 to {MAX_LINES} items"))
        return out
    for i, item in enumerate(items):
        line: dict[str, Any] = {}
        for name, rule in spec["lines"]["fields"].items():
            value, problem = _field(name, rule, item, all_tables, ("lines", str(i)))
            line[name] = value
            if problem:
                out.problems.append(problem)
        out.problems += [
            p
            for p in _required(line, line_fields, ("lines", str(i)))
            if p.path not in {q.path for q in out.problems}
        ]
        out.lines.append(line)
    return out
