"""The one validation boundary: every argument of every query and mutation, checked before its resolver runs.

``guard_root_fields`` wraps every root field's resolver. For each root field it walks the coerced arguments
along their GraphQL types and checks each string, decimal and page size against its ``Bound``
(``columns.bound_of``), and each date and time against the calendar (``rules.moment_problem``):

- a mutation whose result union has ``ValidationError`` gets that member, with the path inside ``input``
  (``["lines", "2", "quantity"]``), and its resolver never runs, so a rejected input changes no row;
- a query gets a top-level error carrying ``extensions.code = "VALIDATION"`` and the argument as path.

It also aligns the path of an expected failure that a mutation's service reported under its own name
(``orderId``) with the input field the caller wrote (``purchaseOrderId``).
"""

from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from decimal import Decimal
from inspect import isawaitable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

from api import errors
from api.boundary import columns, custom, rules
from api.relay import MAX_INPUT_LINES
from domain.common.digits import ascii_digits
from domain.common.errors import ValidationError as DomainValidationError

Problem = tuple[list[str], str]


def problems(gtype: GraphQLInputType, value: Any, coordinate: str, path: list[str]) -> Iterator[Problem]:
    """Every problem of ``value`` (a coerced GraphQL input of type ``gtype``), with its path."""
    if isinstance(gtype, GraphQLNonNull):
        gtype = gtype.of_type
    if value is None:
        return
    if isinstance(gtype, GraphQLList):
        if len(value) > MAX_INPUT_LINES:
            yield path, f"{_label(path)} has {len(value)} items, at most {MAX_INPUT_LINES} are allowed"
            return
        for i, item in enumerate(value):
            yield from problems(gtype.of_type, item, coordinate, [*path, str(i)])
        return
    if isinstance(gtype, GraphQLInputObjectType):
        for name, field in gtype.fields.items():
            yield from problems(field.type, value.get(name), f"{gtype.name}.{name}", [*path, name])
        return
    if isinstance(gtype, GraphQLScalarType):
        problem = scalar_problem(gtype.name, value, coordinate)
        if problem:
            yield path, f"{_label(path)} {problem}"


def scalar_problem(scalar: str, value: Any, coordinate: str) -> str | None:
    """Why one scalar value breaks its input's bound, or None."""
    if isinstance(value, date):
        return rules.moment_problem(value)
    bound = columns.bound_of(coordinate, scalar)
    if isinstance(value, Decimal):
        bound = bound or columns.FALLBACK_DECIMAL
        return rules.decimal_problem(value, bound.max_digits, bound.places)
    if isinstance(value, str):
        bound = bound if bound and bound.kind else columns.FALLBACK_TEXT
        assert bound.kind is not None
        if coordinate.startswith("Query."):
            value = value.strip()  # a filter is matched as typed from a label: its resolver trims it
        return rules.text_problem(value, bound.kind, bound.max_length)
    if isinstance(value, int) and not isinstance(value, bool) and bound is not None:
        if bound.minimum is not None and value < bound.minimum:
            return f"must be at least {bound.minimum}"
        if bound.maximum is not None and value > bound.maximum:
            return f"must be at most {bound.maximum}"
    return None


def _label(path: list[str]) -> str:
    named = [p for p in path if not ascii_digits(p)]
    return named[-1] if named else "value"


def field_problems(field: GraphQLField, parent: str, name: str, kwargs: dict[str, Any]) -> list[Problem]:
    """The problems of one root field's arguments. A mutation's ``input`` is left out of the path."""
    found: list[Problem] = []
    for arg_name, arg in field.args.items():
        prefix = [] if arg_name == "input" and parent == "Mutation" else [arg_name]
        found.extend(problems(arg.type, kwargs.get(arg_name), f"{parent}.{name}({arg_name})", prefix))
    return found


def _returns_user_errors(info: GraphQLResolveInfo[Any]) -> bool:
    returned = get_named_type(info.return_type)
    return isinstance(returned, GraphQLUnionType) and any(t.name == "ValidationError" for t in returned.types)


def _input_name(field: GraphQLField) -> str:
    arg = field.args.get("input")
    return get_named_type(arg.type).name if arg is not None else ""


def align_path(path: list[str], given: dict[str, Any]) -> list[str]:
    """``["orderId"]`` -> ``["purchaseOrderId"]`` when the input has that field and no ``orderId``."""
    if not path or path[0] in given:
        return path
    head = path[0]
    matches = [k for k in given if k.endswith(head[:1].upper() + head[1:])]
    return [matches[0], *path[1:]] if len(matches) == 1 else path


async def _aligned(result: Awaitable[Any], given: dict[str, Any]) -> Any:
    value = await result
    if isinstance(value, errors.UserError) and value.path:
        value.path = align_path(list(value.path), given)
    return value


def guard_root_fields(schema: GraphQLSchema) -> None:
    """Puts the boundary in front of every root field's resolver of ``schema`` (in place, once per schema).

    Wrapping only the root fields' resolvers, rather than a schema extension's ``resolve`` hook, is the
    point: graphql-core calls a middleware for every field of every answer (8,000 on a 100-order page),
    while the arguments to check are the root fields' only.
    """
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        for name, field in (root.fields if root is not None else {}).items():
            if field.resolve is not None and not getattr(field.resolve, "_boundary", False):
                field.resolve = _guarded(field, root.name, name, field.resolve)  # type: ignore[union-attr]
            # A subscription's arguments are checked before its stream starts, not at its first event.
            if field.subscribe is not None and not getattr(field.subscribe, "_boundary", False):
                field.subscribe = _guarded(field, root.name, name, field.subscribe)  # type: ignore[union-attr]


def _guarded(field: GraphQLField, parent: str, name: str, resolve: Callable[..., Any]) -> Callable[..., Any]:
    def checked(root: Any, info: GraphQLResolveInfo[Any], **kwargs: Any) -> Any:
        found = field_problems(field, parent, name, kwargs)
        if found:
            path, message = found[0]
            if parent == "Mutation" and _returns_user_errors(info):
                return errors.ValidationError(message=message, code=errors.ErrorCode.VALIDATION, path=path)
            raise DomainValidationError(message, tuple(path))
        given = kwargs.get("input")
        entity = custom.BY_INPUT.get(_input_name(field))
        has_custom = isinstance(given, dict) and given.get("customFields") is not None
        if entity is not None and has_custom and _returns_user_errors(info):
            assert isinstance(given, dict)
            return custom.checked_first(
                entity, given["customFields"], lambda: _aligned(resolve(root, info, **kwargs), given)
            )
        result = resolve(root, info, **kwargs)
        if parent == "Mutation" and isinstance(given, dict) and isawaitable(result):
            return _aligned(result, given)
        return result

    checked._boundary = True  # type: ignore[attr-defined]
    return checked
