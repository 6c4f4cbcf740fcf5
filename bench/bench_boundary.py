"""What the input boundary costs (api/boundary/): on a large answer (it wraps the root fields only), and the
walk of a large input. In-process, no database: ``python -m bench.bench_boundary``."""

import asyncio
import time
from decimal import Decimal

import strawberry
from graphql import get_introspection_query
from strawberry.schema.config import StrawberryConfig

from api import errors, scalars
from api.boundary.check import field_problems, guard_root_fields
from api.schema import Mutation, Query, create_schema
from lotline.config import Settings


def _schema(with_boundary: bool) -> strawberry.Schema:
    schema = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[errors.ValidationError, errors.InsufficientStock, errors.NotFound, errors.Forbidden],
        config=StrawberryConfig(scalar_map=scalars.SCALAR_MAP),
    )
    if with_boundary:
        guard_root_fields(schema._schema)
    return schema


async def _answer_rate(schema: strawberry.Schema, query: str, rounds: int) -> float:
    await schema.execute(query)
    start = time.perf_counter()
    for _ in range(rounds):
        result = await schema.execute(query)
        assert result.errors is None
    return rounds / (time.perf_counter() - start)


def _walk_rate(rounds: int) -> tuple[float, int]:
    graphql_schema = create_schema(Settings())._schema
    mutation = graphql_schema.mutation_type
    assert mutation is not None
    field = mutation.fields["purchaseOrderCreate"]
    line = {"skuCode": "SKU-1", "quantity": Decimal("12.5"), "unit": "box", "unitPrice": Decimal("30.25")}
    given = {
        "input": {
            "supplierCode": "SUP-1",
            "warehouseCode": "WH-1",
            "lines": [dict(line) for _ in range(500)],
            "expectedDate": None,
            "note": "备注 note",
            "idempotencyKey": "k-1",
        }
    }
    start = time.perf_counter()
    for _ in range(rounds):
        assert field_problems(field, "Mutation", "purchaseOrderCreate", given) == []
    return rounds / (time.perf_counter() - start), 500 * 4


async def main() -> None:
    query = get_introspection_query()
    without = await _answer_rate(_schema(False), query, 30)
    with_it = await _answer_rate(_schema(True), query, 30)
    print(f"introspection answer: {without:.1f}/s without, {with_it:.1f}/s with the boundary")
    rate, leaves = _walk_rate(50)
    print(f"boundary walk of a 500-line purchase order ({leaves} values): {1000 / rate:.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
