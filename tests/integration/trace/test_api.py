"""The trace GraphQL fields and the capture route, on a schema holding just them."""

from decimal import Decimal

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from api import errors, nodes, scalars
from api import relay as rl
from api.context import Context
from api.trace import capture_route
from api.trace.mutations import TraceMutation
from api.trace.queries import TraceQuery
from domain.partners.rules import Role
from domain.partners.services import Principal
from tests import factories

SCHEMA = strawberry.Schema(
    query=TraceQuery,
    mutation=TraceMutation,
    types=[
        errors.ValidationError,
        errors.InsufficientStock,
        errors.NotFound,
        errors.Forbidden,
        errors.Conflict,
    ],
    config=strawberry.schema.config.StrawberryConfig(scalar_map=scalars.SCALAR_MAP),
)


def _context(role: Role) -> Context:
    return Context(request=None, response=None, principal=Principal(1, "u", role, None))  # type: ignore[arg-type]


async def test_a_warehouse_user_scans_and_decides_and_reads_the_trace(db):
    lot = await factories.receive(
        await factories.make_sku(high_risk=True),
        await factories.make_warehouse(),
        await factories.make_supplier(),
        Decimal(5),
    )
    batch = rl.encode_id("Batch", lot.batch_id)
    ctx = _context(Role.WAREHOUSE)

    started = await SCHEMA.execute(
        'mutation($b: ID!) { qualityCheckStart(input: {batchId: $b, inspector: "li"}) {'
        " __typename ... on Posted { number documentId } } }",
        variable_values={"b": batch},
        context_value=ctx,
    )
    assert started.errors is None
    check = started.data["qualityCheckStart"]["documentId"]
    verdict = await SCHEMA.execute(
        "mutation($c: ID!) { qualityCheckVerdict(input: {checkId: $c, conclusion: PASS, results: ["
        '{parameter: "temp", value: "3", limit: "4", unit: "CEL", passed: true}]}) {'
        " __typename ... on UserError { code message } } }",
        variable_values={"c": check},
        context_value=ctx,
    )
    again = await SCHEMA.execute(
        "mutation($c: ID!) { qualityCheckVerdict(input: {checkId: $c, conclusion: PASS, results: ["
        '{parameter: "temp", value: "3", limit: "4", unit: "CEL", passed: true}]}) {'
        " __typename ... on UserError { code } } }",
        variable_values={"c": check},
        context_value=ctx,
    )
    read = await SCHEMA.execute(
        "query($b: ID!) { batchEvents(batchId: $b) { nodes { bizStep disposition } }"
        " traceBackward(batchId: $b) { batch { lotCode status } supplier { code } }"
        " fsmaReport(batchId: $b) { rowCount } epcisExport(batchId: $b) }",
        variable_values={"b": batch},
        context_value=ctx,
    )

    assert verdict.errors is None
    assert verdict.data["qualityCheckVerdict"]["__typename"] == "Posted"
    assert again.data["qualityCheckVerdict"] == {"__typename": "Conflict", "code": "CONFLICT"}
    assert read.errors is None
    # the API posts at the real clock, before the factories' fixed 2030 receipt: compare as a set
    assert sorted(e["bizStep"] for e in read.data["batchEvents"]["nodes"]) == [
        "inspecting",
        "inspecting",
        "receiving",
    ]
    assert read.data["traceBackward"]["batch"] == {"lotCode": lot.lot_code, "status": "available"}
    assert read.data["fsmaReport"]["rowCount"] == 1
    assert read.data["epcisExport"]["type"] == "EPCISDocument"


async def test_a_sales_user_may_not_destroy_stock(db):
    result = await SCHEMA.execute(
        'mutation { batchDestroy(input: {batchId: "QmF0Y2g6MQ=="}) { __typename } }',
        context_value=_context(Role.SALES),
    )
    assert result.data == {"batchDestroy": {"__typename": "Forbidden"}}


def test_the_capture_route_refuses_callers_without_a_token():
    app = Starlette(routes=[Route("/epcis/capture", capture_route.epcis_capture, methods=["POST"])])
    response = TestClient(app).post("/epcis/capture", json={})
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHENTICATED"


_ = nodes  # Posted is reached through the mutations' unions
