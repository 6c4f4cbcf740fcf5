"""A cheaper path through graphql-core's executor for strawberry's basic fields (issue 15).

A "basic" field is one strawberry resolves by reading an attribute of the parent (no resolver, no
permission classes, no field extensions): strawberry itself already skips its ``Info`` for them
(``_get_basic_result``). graphql-core still builds a ``GraphQLResolveInfo`` for every field, checks for
arguments and walks ``complete_value``'s type dispatch, which on a list page of 100 orders with their lines
is ~7,700 times per answer and most of what the page costs beyond its queries.

For a basic field, :class:`BasicFieldPath` does what graphql-core does, in the same order: read the
attribute, raise a returned exception, null checks with graphql-core's message, then
``complete_leaf_value`` (scalars and enums; a plain value is answered inside ``execute_fields``' loop),
then for an object whose ``is_type_of`` (if any) reads no info — strawberry's never do — its check, the
memoised ``collect_subfields`` and ``execute_fields``, skipping the calls in between and the
``GraphQLResolveInfo``; a list of such objects the same per item at its index (a null, failing or
awaitable item, ``@stream`` or ``@defer`` take ``complete_list_value``); errors located through
``handle_field_error``. Plans per field: ``api.field_plans``; objects: ``api.object_completion``.
Relay's ``Node.id`` is made as strawberry's resolver makes it when the node's class keeps strawberry's
``resolve_id`` and ``resolve_typename``. Anything else — resolvers, arguments, interfaces and unions, an
awaitable attribute, middleware, a default resolver other than ``getattr`` — takes graphql-core's own
``execute_field`` unchanged. ``tests/unit/api/test_basic_fields.py`` pins answers and errors to it.

Written here rather than taken from a library: neither graphql-core nor strawberry offers it, and the
executor's ``execute_field`` is the documented extension point (``execution_context_class``).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self, cast

from graphql import (
    GraphQLID,
    GraphQLObjectType,
    GraphQLString,
    Undefined,
)
from graphql.pyutils import Path, gather_with_cancel

from api.awaitable_types import is_awaitable
from api.executor_refs import detach_async_helpers
from api.field_plans import LEAF, LIST, NODE_ID, OBJECT, PLANS, Plan, plan_field
from api.global_ids import global_id as _global_id
from api.object_completion import GENERAL, ObjectCompletion

# Values that are never awaitable, never an exception and never null: a scalar field holding one is
# answered by coercing it. Anything else takes the general path.
_PLAIN = frozenset({str, int, float, bool, Decimal, date, datetime})
_FAILED = object()
# Scalars whose serialiser returns a str as it is (graphql-core's serialize_string and serialize_id).
_STR_AS_IS = (GraphQLString, GraphQLID)
# A selection's fields: (selection, parent type, ((response name, field details, plan, str as is), …)).
_Fields = tuple[Any, GraphQLObjectType, tuple[tuple[str, Any, Plan | None, bool], ...]]


class BasicFieldPath(ObjectCompletion):
    """strawberry's executor with the basic-field path described in the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable  # decided once per class (api.awaitable_types)
        detach_async_helpers(self)  # no executor ↔ helpers cycle: a request's objects die with it
        plans = PLANS.get(self.schema)
        if plans is None:
            plans = PLANS[self.schema] = {}
        self._basic_plans = plans
        # strawberry passes a manager even when no extension resolves fields; one that holds middleware
        # must see every field, so it turns this path off.
        manager = self.middleware_manager
        self._basic_path = manager is None or not manager.middlewares
        self._fields: dict[int, _Fields] = {}

    def build_per_event_executor(self, payload: Any) -> Self:
        """graphql-core's copy for one subscription event, its helpers bound to the copy (they use only the
        state the copy shares), so an event's work never depends on the subscription's executor living;
        its own node answers (``_node_answers`` holds the nodes: shared, a long subscription would keep
        every event's)."""
        executor = cast(Self, super().build_per_event_executor(payload))  # graphql-core's copy(self)
        detach_async_helpers(executor)
        executor._node_answers = {}
        return executor

    def _fields_of(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> _Fields:
        """The fields of a collected selection with their plans (and whether a str answers as it is:
        String and ID), kept for this execution: every object of a list shares its selection."""
        fields = []
        for response_name, field_details_list in grouped_field_set.items():
            plan = self._plan_of(parent_type, field_details_list[0].node.name.value)
            strings = plan is not None and any(plan.named_type is t for t in _STR_AS_IS)
            fields.append((response_name, field_details_list, plan, strings))
        # Keyed by identity, holding the selection so that its id cannot be reused during the execution.
        entry = self._fields[id(grouped_field_set)] = (grouped_field_set, parent_type, tuple(fields))
        return entry

    def _type_plans(self, parent_type: GraphQLObjectType) -> dict[str, Plan | None]:
        """The plans of ``parent_type``'s fields by field name, filled as fields are first met."""
        plans = self._basic_plans.get(parent_type.name)
        if plans is None:
            plans = self._basic_plans[parent_type.name] = {}
        return plans

    def _plan_of(self, parent_type: GraphQLObjectType, field_name: str) -> Plan | None:
        plans = self._type_plans(parent_type)
        try:
            return plans[field_name]
        except KeyError:
            plan = plans[field_name] = plan_field(self.schema, parent_type, field_name)
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
        (``_PLAIN``) answered in the loop: no ``Path`` unless it fails, no call per field. Sets
        ``plain_answer``: whether every field of this object was answered so (then its answer depends
        on nothing but the object's attributes)."""
        if not self._basic_path:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        general = False  # a field took the general path (see ``plain_answer``)
        fields = self._fields.get(id(grouped_field_set))  # once per object, not per field
        if fields is None or fields[0] is not grouped_field_set or fields[1] is not parent_type:
            fields = self._fields_of(parent_type, grouped_field_set)
        try:
            for response_name, field_details_list, plan, strings in fields[2]:
                if plan is not None and plan.kind == LEAF:
                    try:
                        value = getattr(source_value, plan.attribute)
                    except Exception:
                        value = _FAILED  # read again on the general path, which locates the error
                    if strings and type(value) is str:  # String and ID answer a str as it is
                        results[response_name] = value
                        continue
                    if type(value) in _PLAIN:
                        try:
                            coerced = plan.named_type.coerce_output_value(value)
                        except Exception:
                            coerced = None  # coerced again on the general path, which locates the error
                        if coerced is not None and coerced is not Undefined:
                            results[response_name] = coerced
                            continue
                elif plan is not None and plan.kind == NODE_ID:
                    global_id = _global_id(source_value, parent_type.name)
                    if global_id is not None:
                        try:
                            coerced = plan.named_type.coerce_output_value(global_id)
                        except Exception:
                            coerced = None  # strawberry's resolver runs and its error is located
                        if coerced is not None and coerced is not Undefined:
                            results[response_name] = coerced
                            continue
                general = True
                field_path = Path(path, response_name, parent_type.name)
                if plan is not None and plan.kind != NODE_ID:  # its plan known: not looked up again
                    result = self._execute_basic(
                        plan, parent_type, source_value, field_details_list, field_path, position_context
                    )
                else:
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
            self.plain_answer = not general
            return results
        self.plain_answer = False

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
        plan = self._plan_of(parent_type, field_details_list[0].node.name.value)
        if plan is None or plan.kind == NODE_ID or not self._basic_path:
            return super().execute_field(parent_type, source, field_details_list, path, position_context)
        return self._execute_basic(plan, parent_type, source, field_details_list, path, position_context)

    def _execute_basic(
        self,
        plan: Plan,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        """``execute_field`` of a basic field (``plan``: not relay's node ID)."""
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
                    field_name = field_details_list[0].node.name.value
                    raise TypeError(f"Cannot return null for non-nullable field {parent_type}.{field_name}.")
                return None
            if plan.kind == LEAF:
                return self.complete_leaf_value(plan.named_type, result)
            completed: Any = GENERAL
            if plan.kind == OBJECT:  # no is_type_of reads the info: complete_object_value reads no other
                completed = self._object(
                    plan.named_type, field_details_list, path, result, position_context, plan.node
                )
            elif plan.items is not None and position_context is None:
                completed = self._objects(plan, field_details_list, path, result)
            if completed is GENERAL:  # an is_type_of check or list items read the info: built for these
                info = self.build_resolve_info(
                    plan.field, [d.node for d in field_details_list], parent_type, path
                )
                complete = self.complete_list_value if plan.kind == LIST else self.complete_object_value
                completed = complete(
                    plan.named_type, field_details_list, info, path, result, position_context
                )
            if self.is_awaitable(completed):
                return self._awaited(completed, plan.field.type, field_details_list, path)
            return completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.field.type, field_details_list, path)
            return None
