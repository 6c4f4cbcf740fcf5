"""A cheaper path through graphql-core's executor for strawberry's basic fields (issue 15).

A "basic" field is one strawberry resolves by reading an attribute of the parent (no resolver, no
permission classes, no field extensions): strawberry itself already skips its ``Info`` for them
(``_get_basic_result``). graphql-core still builds a ``GraphQLResolveInfo`` for every field, checks for
arguments and walks ``complete_value``'s type dispatch, which on a list page of 100 orders with their lines
is ~7,700 times per answer and most of what the page costs beyond its queries.

For a basic field, :class:`BasicFieldPath` does what graphql-core does, in the same order: read the
attribute, raise a returned exception, null checks with graphql-core's message, then
``complete_leaf_value`` (scalars and enums; a plain value is answered inside ``execute_fields``' loop),
``complete_object_value`` (without a ``GraphQLResolveInfo`` when no ``is_type_of`` reads one) or
``complete_list_value``, errors located through ``handle_field_error``. Relay's ``Node.id`` is made as
strawberry's resolver makes it when the node's class keeps strawberry's ``resolve_id`` and
``resolve_typename``. Anything else — resolvers, arguments, interfaces and unions, an awaitable attribute,
middleware, a default resolver other than ``getattr`` — takes graphql-core's own ``execute_field``
unchanged. ``tests/unit/api/test_basic_fields.py`` pins answers and errors to it.

Written here rather than taken from a library: neither graphql-core nor strawberry offers it, and the
executor's ``execute_field`` is the documented extension point (``execution_context_class``).
"""

import weakref
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
    is_list_type,
    is_object_type,
)
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from api.global_ids import global_id as _global_id
from api.global_ids import is_node_id as _is_node_id


class _Plan(NamedTuple):
    """How to resolve one basic field: the attribute, the type without its non-null wrapper, and which."""

    field: GraphQLField
    attribute: str
    named_type: Any  # GraphQLLeafType, GraphQLObjectType or GraphQLList
    non_null: bool
    kind: int  # _LEAF, _OBJECT, _OBJECT_CHECKED, _LIST or _NODE_ID


_LEAF, _OBJECT, _OBJECT_CHECKED, _LIST, _NODE_ID = range(5)

# Values that are never awaitable, never an exception and never null: a scalar field holding one is
# answered by coercing it. Anything else takes the general path.
_PLAIN = frozenset({str, int, float, bool, Decimal, date, datetime})
_FAILED = object()
_UNPLANNED: Any = object()


# One plan table per schema, dropped with it (tests build many schemas).
_PLANS: "weakref.WeakKeyDictionary[GraphQLSchema, dict[str, dict[str, _Plan | None]]]" = (
    weakref.WeakKeyDictionary()
)


def _ignores_info(is_type_of: Any) -> bool:
    """Whether ``is_type_of`` is one strawberry generates for a type with interfaces, which never reads
    its info (the parameter is named ``_info``): it is then called with none. A type's own ``is_type_of``
    may read it and is called with graphql-core's."""
    code = getattr(is_type_of, "__code__", None)
    return (
        getattr(is_type_of, "__module__", None) == "strawberry.schema.schema_converter"
        and code is not None
        and code.co_varnames[:2] == ("obj", "_info")
    )


def _plan(schema: GraphQLSchema, parent_type: GraphQLObjectType, field_name: str) -> _Plan | None:
    field_def = schema.get_field(parent_type, field_name)
    if field_def is None or field_def.args:
        return None
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return_type: Any = field_def.type
    non_null = isinstance(return_type, GraphQLNonNull)
    named = return_type.of_type if non_null else return_type
    if _is_node_id(definition) and is_leaf_type(named):
        return _Plan(field_def, "", named, non_null, _NODE_ID)
    if not getattr(field_def.resolve, "_is_default", False):
        return None
    if definition is None or definition.default_resolver is not getattr:
        return None
    if is_leaf_type(named):
        kind = _LEAF
    elif is_object_type(named):
        kind = _OBJECT_CHECKED if named.is_type_of and not _ignores_info(named.is_type_of) else _OBJECT
    elif is_list_type(named):
        kind = _LIST
    else:  # interfaces and unions: graphql-core resolves their runtime type with the info
        return None
    return _Plan(field_def, definition.python_name, named, non_null, kind)


class BasicFieldPath(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor with the basic-field path described in the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plans = _PLANS.get(self.schema)
        if plans is None:
            plans = _PLANS[self.schema] = {}
        self._basic_plans = plans
        # strawberry passes a manager even when no extension resolves fields; one that holds middleware
        # must see every field, so it turns this path off.
        manager = self.middleware_manager
        self._basic_path = manager is None or not manager.middlewares

    def _type_plans(self, parent_type: GraphQLObjectType) -> dict[str, _Plan | None]:
        """The plans of ``parent_type``'s fields by field name, filled as fields are first met."""
        plans = self._basic_plans.get(parent_type.name)
        if plans is None:
            plans = self._basic_plans[parent_type.name] = {}
        return plans

    def _plan_of(self, parent_type: GraphQLObjectType, field_name: str) -> _Plan | None:
        plans = self._type_plans(parent_type)
        try:
            return plans[field_name]
        except KeyError:
            plan = plans[field_name] = _plan(self.schema, parent_type, field_name)
            return plan

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_fields``, with a scalar or enum basic field holding a plain value
        (``_PLAIN``) answered in the loop: no ``Path`` unless it fails, no call per field."""
        if not self._basic_path:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        plans = self._type_plans(parent_type)  # once per object, not per field
        try:
            for response_name, field_details_list in grouped_field_set.items():
                field_name = field_details_list[0].node.name.value
                plan = plans.get(field_name, _UNPLANNED)
                if plan is _UNPLANNED:
                    plan = self._plan_of(parent_type, field_name)
                if plan is not None and plan.kind == _NODE_ID:
                    global_id = _global_id(source_value, parent_type.name)
                    if global_id is not None:
                        try:
                            coerced = plan.named_type.coerce_output_value(global_id)
                        except Exception:
                            coerced = None  # strawberry's resolver runs and its error is located
                        if coerced is not None and coerced is not Undefined:
                            results[response_name] = coerced
                            continue
                elif plan is not None and plan.kind == _LEAF:
                    try:
                        value = getattr(source_value, plan.attribute)
                    except Exception:
                        value = _FAILED  # read again on the general path, which locates the error
                    if type(value) in _PLAIN:
                        try:
                            coerced = plan.named_type.coerce_output_value(value)
                        except Exception:
                            coerced = None  # coerced again on the general path, which locates the error
                        if coerced is not None and coerced is not Undefined:
                            results[response_name] = coerced
                            continue
                field_path = Path(path, response_name, parent_type.name)
                result = self.execute_field(
                    parent_type, source_value, field_details_list, field_path, position_context
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:  # as graphql-core: settle what other fields started, they may fail too
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        field_name = field_details_list[0].node.name.value
        plan = self._plan_of(parent_type, field_name)
        if plan is None or plan.kind == _NODE_ID or not self._basic_path:
            return super().execute_field(parent_type, source, field_details_list, path, position_context)
        try:
            result = getattr(source, plan.attribute)
            if self.is_awaitable(result):
                info = self.build_resolve_info(
                    plan.field, [d.node for d in field_details_list], parent_type, path
                )
                return self.complete_awaitable_value(
                    plan.field.type, field_details_list, info, path, result, position_context
                )
            if isinstance(result, Exception):
                raise result
            if result is None or result is Undefined:
                if plan.non_null:
                    raise TypeError(f"Cannot return null for non-nullable field {parent_type}.{field_name}.")
                return None
            if plan.kind == _LEAF:
                return self.complete_leaf_value(plan.named_type, result)
            completed: Any
            if plan.kind == _OBJECT:  # no is_type_of reads the info: complete_object_value reads no other
                completed = self.complete_object_value(
                    plan.named_type,
                    field_details_list,
                    None,  # type: ignore[arg-type]
                    path,
                    result,
                    position_context,
                )
            else:  # an is_type_of check or list items read the info: built only for these
                info = self.build_resolve_info(
                    plan.field, [d.node for d in field_details_list], parent_type, path
                )
                complete = self.complete_list_value if plan.kind == _LIST else self.complete_object_value
                completed = complete(
                    plan.named_type, field_details_list, info, path, result, position_context
                )
            if self.is_awaitable(completed):
                return self._awaited(completed, plan.field.type, field_details_list, path)
            return completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.field.type, field_details_list, path)
            return None

    async def _awaited(self, completed: Any, return_type: Any, field_details_list: Any, path: Path) -> Any:
        """As graphql-core's ``execute_field`` awaits a completion that is still running."""
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
