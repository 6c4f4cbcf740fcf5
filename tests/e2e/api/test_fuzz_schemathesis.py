"""schemathesis over the whole schema, as an admin and as a supplier, on the session's PostgreSQL.

The schema is loaded with ``schemathesis.graphql.from_asgi`` (introspection of the app itself) and every query
and mutation gets ``MAX_EXAMPLES`` generated cases per role, with strategies for our custom scalars (Decimal,
ID, Date, DateTime, JSON) that mix valid values with the edges that used to break (30-digit and exponent
decimals, NaN, 1e-30, global IDs of every type, NUL). Fails on:

- a response carrying "Internal server error", or any 5xx;
- any row changed by a rejected mutation (a typed error in its result, or a top-level error): the row count
  and an order-independent checksum of every table are compared before and after each mutation.

The cases are sent to the same ASGI app in-process (httpx), on the event loop that holds the test
database's connections; hypothesis runs in a worker thread and hands each request to that loop. The case
count is printed (``-s`` shows it; it is also in the assertion message of any failure).
"""

import asyncio
import base64
import json
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import graphql
import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from starlette.applications import Starlette
from tortoise import Tortoise

from tests.e2e.api.world import make_world

# Per operation and role: 2 roles × 83 operations × 6 ≈ 1,000 cases, about 2 minutes here. A deeper run:
# LOTLINE_FUZZ_EXAMPLES=50 pytest tests/e2e/api/test_fuzz_schemathesis.py -s
MAX_EXAMPLES = int(os.environ.get("LOTLINE_FUZZ_EXAMPLES", "6"))
USER_ERRORS = {"ValidationError", "NotFound", "Forbidden", "Conflict", "InsufficientStock"}
NODE_TYPES = ["Batch", "Sku", "Warehouse", "Location", "PurchaseOrder", "PurchaseOrderLine", "SalesOrder"]
NODE_TYPES += ["SalesOrderLine", "StockCount", "Transfer", "QualityCheck", "SupplierBill", "JournalEntry"]
NODE_TYPES += ["Shipment", "CustomerReturn", "CustomerInvoice", "BatchAlert", "User", "Money", "Nope"]


def _gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def _register_scalars() -> None:
    plain = st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-1000, max_value=1000)
    edges = st.sampled_from(
        ["1e30", "1E+400", "1" * 30, "1e-30", "NaN", "Infinity", "-0", "0.00001", "12.5", "abc", "1e999999"]
    )
    schemathesis.graphql.scalar(
        "Decimal",
        st.one_of(
            plain.map(lambda d: nodes.String(str(d))),
            edges.map(nodes.String),
            st.integers(-(10**20), 10**20).map(nodes.Int),
            st.floats(allow_nan=False, allow_infinity=False).map(lambda f: nodes.Float(repr(f))),
        ),
    )
    schemathesis.graphql.scalar(
        "ID",
        st.one_of(
            st.builds(_gid, st.sampled_from(NODE_TYPES), st.integers(-1, 40)),
            st.text(max_size=12),
        ).map(nodes.String),
    )
    dates = st.dates().map(lambda d: d.isoformat())
    schemathesis.graphql.scalar(
        "Date", st.one_of(dates, st.just("2026-02-30"), st.text(max_size=4)).map(nodes.String)
    )
    stamps = st.datetimes(timezones=st.timezones()).map(lambda t: t.isoformat())
    schemathesis.graphql.scalar(
        "DateTime", st.one_of(stamps, st.just("2026-01-01T00:00:00")).map(nodes.String)
    )
    schemathesis.graphql.scalar(
        "JSON",
        st.one_of(
            st.text(max_size=8).map(nodes.String), st.integers(-9, 9).map(nodes.Int), st.just(nodes.Null)
        ),
    )


@dataclass
class Tally:
    cases: int = 0
    mutations: int = 0
    rejected_mutations: int = 0
    failures: list[str] = field(default_factory=list)


async def _snapshot() -> dict[str, tuple[int, int]]:
    """Per table: (row count, sum of the rows' hashes): any insert, update or delete changes it."""
    conn = Tortoise.get_connection("default")
    tables = await conn.execute_query_dict(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    parts = [
        f"SELECT '{t['tablename']}' AS t, count(*) AS n, coalesce(sum(hashtext(x::text)::bigint), 0) AS h "
        f'FROM "{t["tablename"]}" x'
        for t in tables
    ]
    rows = await conn.execute_query_dict(" UNION ALL ".join(parts))
    return {r["t"]: (int(r["n"]), int(r["h"])) for r in rows}


def _with_typename(query: str, field_name: str) -> tuple[str, str]:
    """Adds ``__typename`` to the root field's selection; returns the query and the field's response key."""
    document = graphql.parse(query)
    operation = next(d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode))
    root = next(
        s
        for s in operation.selection_set.selections
        if isinstance(s, graphql.FieldNode) and s.name.value == field_name
    )
    if root.selection_set is not None:
        typename = graphql.FieldNode(name=graphql.NameNode(value="__typename"))
        selections = (*root.selection_set.selections, typename)
        object.__setattr__(root.selection_set, "selections", selections)  # AST nodes are frozen
    key = root.alias.value if root.alias else field_name
    return graphql.print_ast(document), key


def _fuzz_operation(operation: Any, token: str, role: str, send: Callable[..., Any], tally: Tally) -> None:
    is_mutation = operation.label.startswith("Mutation.")
    field_name = operation.label.split(".", 1)[1]

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize="LOTLINE_FUZZ_EXAMPLES" not in os.environ,  # the suite: the same cases each run
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        body = case.body if isinstance(case.body, dict) else {"query": case.body}
        query, key = _with_typename(body["query"], field_name)
        status, answer, changed = send({**body, "query": query}, token, is_mutation)
        tally.cases += 1
        where = f"{role} {operation.label}: {query!r} -> {status} {answer}"
        if status >= 500 or "Internal server error" in json.dumps(answer):
            tally.failures.append(where)
            return
        if not is_mutation:
            return
        tally.mutations += 1
        result = (answer.get("data") or {}).get(key)
        rejected = bool(answer.get("errors")) or result is None or result.get("__typename") in USER_ERRORS
        if rejected:
            tally.rejected_mutations += 1
            if changed:
                tally.failures.append(f"{where} changed rows of {changed}")

    run()


async def test_schemathesis_finds_no_internal_error_and_no_write_by_a_rejected_mutation(
    app: Starlette, admin: str, token_for: Callable[..., Awaitable[str]]
) -> None:
    _register_scalars()
    world = await make_world()
    supplier = await token_for("supplier", supplier_code=world.supplier_code)
    schema = schemathesis.graphql.from_asgi("/graphql", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    loop = asyncio.get_running_loop()
    transport = httpx.ASGITransport(app=app)
    tally = Tally()

    async def call(body: dict[str, Any], token: str, is_mutation: bool) -> tuple[int, Any, list[str]]:
        before = await _snapshot() if is_mutation else {}
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post("/graphql", json=body, headers={"Authorization": f"Bearer {token}"})
        after = await _snapshot() if is_mutation else {}
        changed = sorted(t for t in after if after[t] != before.get(t))
        try:
            answer = response.json()
        except ValueError:
            answer = {"raw": response.text}
        return response.status_code, answer, changed

    def send(body: dict[str, Any], token: str, is_mutation: bool) -> tuple[int, Any, list[str]]:
        return asyncio.run_coroutine_threadsafe(call(body, token, is_mutation), loop).result()

    def fuzz() -> None:
        for role, token in (("admin", admin), ("supplier", supplier)):
            for operation in operations:
                _fuzz_operation(operation, token, role, send, tally)

    await asyncio.to_thread(fuzz)

    summary = (
        f"schemathesis: {tally.cases} cases over {len(operations)} operations x 2 roles, "
        f"{tally.mutations} mutations ({tally.rejected_mutations} rejected), {len(tally.failures)} failures"
    )
    print(summary)
    assert not tally.failures, summary + "\n" + "\n".join(tally.failures[:20])
    assert len(operations) > 80, summary
    assert tally.cases >= len(operations) * 2, summary
