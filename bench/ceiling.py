"""GraphQL's own ceiling for a list page: the same query text against a strawberry schema of the same shape,
answering the same rows from memory.

Issue 15 measures the real list pages (auth, database, loaders) against this ceiling, in the same run: what
strawberry and graphql-core cost to resolve and serialise those rows when nothing else costs anything.

The schema is built from captured responses of the real API: every JSON object becomes a strawberry type
with the same field names, lists become lists, scalars keep their JSON type (the real schema's Decimal, ID,
Date and enum scalars are strings on the wire, so ``String`` here: their serialisers cost no more).
Each root field takes ``first`` and ``after`` and answers the response captured for that cursor.
By default it executes through the API's own executor class (``api.basic_fields.BasicFieldPath``), so
the ratio compares the same strawberry and graphql-core work on both sides;
``LOTLINE_CEILING_EXECUTOR=strawberry`` serves it through strawberry's default executor, as before stop 12
(the issue's first definition, which the API's cheaper basic-field path can now beat: a ceiling no more).

    uvicorn --factory bench.ceiling:create_app   # with LOTLINE_CEILING_FILE=<captured responses as JSON>

The file holds ``{"<rootField>": {"<after or empty>": <the root field's JSON>}}``.
"""

import json
import os
from typing import Any

import strawberry
from strawberry.asgi import GraphQL
from strawberry.tools import create_type

from api import collector
from api.basic_fields import BasicFieldPath
from api.graphql_http import encode_json

_SCALARS: dict[type, type] = {str: str, int: int, float: float, bool: bool}


class _Builder:
    """Strawberry types from JSON samples; one type per JSON path, fields merged over every sample."""

    def __init__(self) -> None:
        self.count = 0

    def type_of(self, name: str, samples: list[Any]) -> Any:
        values = [s for s in samples if s is not None]
        if not values:
            return str | None
        first = values[0]
        if isinstance(first, dict):
            keys: dict[str, list[Any]] = {}
            for value in values:
                for key, item in value.items():
                    keys.setdefault(key, []).append(item)
            return self.object_type(name, keys) | None
        if isinstance(first, list):
            items = [item for value in values for item in value]
            return list[self.type_of(name, items)] | None  # type: ignore[misc]
        return _SCALARS[type(first)] | None

    def object_type(self, name: str, keys: dict[str, list[Any]]) -> Any:
        self.count += 1
        fields = []
        for key, samples in keys.items():
            annotation = self.type_of(f"{name}_{key}", samples)
            field: Any = strawberry.field(name=key, graphql_type=annotation)
            field.python_name = key
            fields.append(field)
        return create_type(f"C{self.count}_{name}", fields)


def _instances(value: Any) -> Any:
    """The JSON value as instances of the generated types (plain attributes: the default resolver's path)."""
    if value is None:
        return None
    if isinstance(value, list):
        return [_instances(v) for v in value]
    if isinstance(value, dict):
        return _Row({k: _instances(v) for k, v in value.items()})
    return value


class _Row:
    """Attribute access over a dict: what strawberry's default resolver reads."""

    __slots__ = ("__dict__",)

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _resolver(answers: dict[str, Any]) -> Any:
    def resolve(first: int | None = None, after: str | None = None) -> Any:
        return answers[after or ""]

    return resolve


def build_schema(captured: dict[str, dict[str, Any]], *, api_executor: bool = True) -> strawberry.Schema:
    """A schema whose root fields answer ``captured[field][after or ""]`` as their JSON shape; executed
    through the API's executor class, or strawberry's default one (``api_executor=False``)."""
    builder = _Builder()
    root_fields = []
    for field_name, pages in captured.items():
        annotation = builder.type_of(field_name, list(pages.values()))
        answers = {after: _instances(page) for after, page in pages.items()}

        field: Any = strawberry.field(resolver=_resolver(answers), name=field_name, graphql_type=annotation)
        field.python_name = field_name
        root_fields.append(field)
    query = create_type("Query", root_fields)
    if not api_executor:
        return strawberry.Schema(query=query)
    return strawberry.Schema(query=query, execution_context_class=BasicFieldPath)


class _View(GraphQL[None, None]):
    """strawberry's own ASGI view writing its answers as the API's view does (``api.graphql_http``):
    both sides of the ratio pay the same JSON encoder."""

    def encode_json(self, data: object) -> str:
        return encode_json(data)


def create_app() -> collector.CollectAfterRequest:
    """The ceiling as an ASGI app (strawberry's own), from ``LOTLINE_CEILING_FILE`` and
    ``LOTLINE_CEILING_EXECUTOR`` (``api``, the default, or ``strawberry``)."""
    with open(os.environ["LOTLINE_CEILING_FILE"], encoding="utf-8") as f:
        captured = json.load(f)
    api_executor = os.environ.get("LOTLINE_CEILING_EXECUTOR", "api") == "api"
    app = _View(build_schema(captured, api_executor=api_executor), graphql_ide=None)
    # As the real app's lifespan does (api/collector.py): the same collector settings on both sides of the
    # ratio, so neither pays collections the other does not.
    collector.settle()
    return collector.CollectAfterRequest(app)
