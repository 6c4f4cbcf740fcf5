"""Subscription de-duplication: one execution of a selection per event, shared by every subscriber asking it.

graphql-core executes a subscription's selection set once per subscriber and event (the spec's
ExecuteSubscriptionEvent). When one event goes to many subscribers -- a pick task to the 50 handhelds of a
warehouse -- that is the same work 50 times: measured, executing the selection was ~43 % of the fan-out's
CPU. A resolver that yields ``SharedEvent(value)`` instead of ``value`` lets ``SharingExecutor`` execute the
selection once per *selection key* and hand the same ``ExecutionResult`` to every subscriber with that key.

The key is everything the result can depend on besides the event: the root field's selection set as
printed (aliases, sub-selections, directives, the fragments it spreads), the values of the variables used
inside that selection (not those of the root field's own arguments, such as each device's id, which only
choose the source stream), and the caller's role and supplier scope (what field permissions look at). A
resolver below the root that reads anything else of the request context must not be reached by an event
sent as ``SharedEvent``; the pick task types are plain data.
"""

import asyncio
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    SelectionSetNode,
    VariableNode,
    Visitor,
    print_ast,
    visit,
)

from api.basic_fields import BasicFieldPath

T = TypeVar("T")


@dataclass(eq=False)
class SharedEvent(Generic[T]):
    """An event for many subscribers: ``value`` is the root value; ``results`` holds one execution per key."""

    value: T
    results: dict[Hashable, Any] = field(default_factory=dict)


class _Uses(Visitor):
    """The variable names and fragment names used under a node."""

    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.fragments: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        self.variables.add(node.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.fragments.add(node.name.value)


def _root_field(selection_set: SelectionSetNode) -> FieldNode | None:
    """The subscription's single root field (the spec requires exactly one), or None."""
    fields = [s for s in selection_set.selections if isinstance(s, FieldNode)]
    return fields[0] if len(fields) == 1 and len(selection_set.selections) == 1 else None


class SharingExecutor(BasicFieldPath):
    """strawberry's executor, sharing per-event executions of ``SharedEvent`` payloads (see module doc).

    Any other payload, query or mutation runs as strawberry runs it, through ``BasicFieldPath``'s cheaper
    path for basic fields (the same answers and errors).
    """

    _share_key: Hashable | None = None
    _event: SharedEvent[Any] | None = None

    def selection_key(self) -> Hashable | None:
        """What a result of this operation depends on besides the event; None when it cannot be shared."""
        root = _root_field(self.operation.selection_set)
        if root is None:
            return None
        uses = _Uses()
        seen: set[str] = set()
        printed = [root.alias.value if root.alias else ""]
        printed += [print_ast(d) for d in root.directives or ()]
        if root.selection_set is not None:
            printed.append(print_ast(root.selection_set))
            visit(root.selection_set, uses)
        pending = set(uses.fragments)
        while pending:  # fragments spread fragments: follow them all
            name = pending.pop()
            fragment = self.fragment_definitions.get(name)
            if fragment is None or name in seen:
                continue
            seen.add(name)
            printed.append(print_ast(fragment))
            inner = _Uses()
            visit(fragment, inner)
            uses.variables |= inner.variables
            pending |= inner.fragments - seen
        for directive in root.directives or ():
            visit(directive, uses)
        coerced = self.variable_values.coerced
        values = tuple(sorted((name, repr(coerced.get(name))) for name in uses.variables))
        principal = getattr(self.context_value, "principal", None)
        who = (getattr(principal, "role", None), getattr(principal, "supplier_id", None))
        return (tuple(printed), values, who)

    def build_per_event_executor(self, payload: Any) -> "SharingExecutor":
        if not isinstance(payload, SharedEvent):
            return super().build_per_event_executor(payload)
        if self._share_key is None:
            self._share_key = self.selection_key() or ("unshared", id(self))
        executor = super().build_per_event_executor(payload.value)
        executor._event = payload
        return executor

    def execute_operation(self, serially: bool | None = None) -> Any:
        event, key = self._event, self._share_key
        if event is None or key is None:
            return super().execute_operation(serially)
        found = event.results.get(key)
        if found is None:
            found = super().execute_operation(serially)
            if self.is_awaitable(found):
                found = asyncio.ensure_future(found)
            elif isinstance(found, ExecutionResult) and found.errors:
                return found  # an error is not passed on: the next subscriber executes for itself
            event.results[key] = found
        return _result_of(found) if isinstance(found, asyncio.Future) else found


async def _result_of(execution: "asyncio.Future[Any]") -> Any:
    """A coroutine per subscriber awaiting the one shared execution (graphql-core awaits what it is given)."""
    return await execution
