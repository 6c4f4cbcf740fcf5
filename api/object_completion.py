"""Objects and lists of objects completed without graphql-core's calls in between (issue 15): the part of
``api.basic_fields.BasicFieldPath`` that completes a basic field's object value.

graphql-core completes an object through ``complete_value`` → ``complete_object_value`` →
``collect_and_execute_subfields`` → ``execute_collected_subfields`` → ``execute_fields``, and a list's
items through ``complete_list_value`` → ``complete_iterable_value`` → ``complete_list_item_value`` → the
same, each item with a ``GraphQLResolveInfo`` built for the list: ~3,000 objects on a page of 100 orders.
For an object type whose ``is_type_of`` reads no info (strawberry's never do), the same steps are taken
directly; anything else goes to graphql-core's own methods. A node met again with the same selection
(a page's lines share a few SKU nodes) gets the answer made the first time, when that answer was made of
plain attribute reads only (see ``ObjectCompletion.__init__``).
"""

from typing import Any

from graphql import GraphQLObjectType
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.field_plans import Plan

GENERAL: Any = object()  # "take graphql-core's own completion"


class ObjectCompletion(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor with ``_object`` and ``_objects`` (see the module docstring)."""

    # Set by ``execute_fields`` (``api.basic_fields``) as it returns an object's answer: whether every
    # field of it was a plain read of an attribute, answered without a path, an error or an await.
    plain_answer = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Nodes answered with plain fields only, by (id of the node, id of the selection): the node and
        # its answer. A page's 500 lines point to a few SKU nodes built once per request
        # (``api.nodes.built_once``), 100 orders to one customer and one warehouse: each node's answer to
        # a selection is the same dict wherever it appears, so it is made once. Holding the node keeps
        # its id from being reused during the execution. Nodes only: a line's quantity is its own object.
        self._node_answers: dict[tuple[int, int], tuple[Any, dict[str, Any]]] = {}

    def _object(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        path: Path,
        result: Any,
        position_context: Any,
        node: bool = False,
    ) -> Any:
        """graphql-core's ``complete_object_value`` for a type whose ``is_type_of`` (if any) reads no info,
        without its calls in between: ``is_type_of``, the memoised ``collect_subfields``, then
        ``execute_fields``, as ``execute_collected_subfields`` does with no deferred fragment. Anything
        else (a failed check, ``@defer``) goes to ``complete_object_value`` itself. ``node``: the type
        is a relay node, whose answer to a selection is made once (``_node_answers``)."""
        node = node and position_context is None
        if node:  # answered before to the same selection (the key implies the type: no check again)
            key = (id(result), id(field_details_list))
            answered = self._node_answers.get(key)
            if answered is not None and answered[0] is result:
                return answered[1]
        is_type_of: Any = return_type.is_type_of  # called with no info: it reads none (api.field_plans)
        if position_context is None and (is_type_of is None or is_type_of(result, None) is True):
            grouped_field_set, new_defer_usages, _ = self.collect_subfields(return_type, field_details_list)
            if not new_defer_usages:
                self.plain_answer = False
                completed = self.execute_fields(return_type, result, path, grouped_field_set, None)
                if node and self.plain_answer:  # a dict, then: no awaitable field
                    self._node_answers[key] = (result, completed)  # type: ignore[assignment]
                return completed
        return self.complete_object_value(
            return_type,
            field_details_list,
            None,  # type: ignore[arg-type]
            path,
            result,
            position_context,
        )

    def _objects(self, plan: Plan, field_details_list: Any, path: Path, items: Any) -> Any:
        """graphql-core's ``complete_list_value`` for a list of objects whose ``is_type_of`` (if any)
        reads no info, when every item is an object of the type (no null, exception or awaitable) and
        the field is neither streamed nor deferred into: each item's fields executed at its index's path,
        an item's error handled as ``complete_list_item_value`` handles it. Anything else: ``GENERAL``."""
        if type(items) is not list or self.get_stream_usage(field_details_list, path) is not None:
            return GENERAL
        object_type = plan.items
        assert object_type is not None
        is_type_of: Any = object_type.is_type_of  # called with no info: it reads none (api.field_plans)
        is_awaitable = self.is_awaitable
        for item in items:
            if item is None or (
                is_type_of(item, None) is not True
                if is_type_of is not None
                else isinstance(item, Exception) or is_awaitable(item)
            ):
                return GENERAL
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return GENERAL
        item_type = plan.item_type
        completed: list[Any] = []
        awaitable_indices: list[int] = []
        try:
            for index, item in enumerate(items):
                item_path = path.add_key(index, None)
                try:
                    value = self.execute_fields(object_type, item, item_path, grouped_field_set, None)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                    completed.append(None)
                    continue
                if is_awaitable(value):
                    completed.append(self._awaited(value, item_type, field_details_list, item_path))
                    awaitable_indices.append(index)
                else:
                    completed.append(value)
        except Exception:  # as graphql-core: settle the items already started, they may fail too
            if awaitable_indices:
                self.settle_in_background([completed[i] for i in awaitable_indices])
            raise
        if not awaitable_indices:
            return completed

        async def get_completed() -> list[Any]:
            awaited = await gather_with_cancel(*(completed[i] for i in awaitable_indices))
            for i, value in zip(awaitable_indices, awaited, strict=True):
                completed[i] = value
            return completed

        return get_completed()

    async def _awaited(self, completed: Any, return_type: Any, field_details_list: Any, path: Path) -> Any:
        """As graphql-core's ``execute_field`` awaits a completion that is still running."""
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
