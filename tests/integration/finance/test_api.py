"""The finance GraphQL fields on a schema of their own (the shared schema mounts them the same way)."""

from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.schema.config import StrawberryConfig

from api import errors, nodes, scalars
from api.context import Context
from api.finance.mutations import FinanceMutation
from api.finance.queries import FinanceQuery
from domain.partners.rules import Role
from domain.partners.services import Principal


@strawberry.type
class Query(FinanceQuery):
    node: relay.Node | None = relay.node()


schema = strawberry.Schema(
    query=Query,
    mutation=FinanceMutation,
    types=[errors.ValidationError, errors.NotFound, errors.Conflict, errors.Forbidden, nodes.Posted],
    config=StrawberryConfig(scalar_map=scalars.SCALAR_MAP),
)


def ctx(role: Role) -> Context:
    return Context(request=None, response=None, principal=Principal(1, "u", role, None))  # type: ignore[arg-type]


POST = """
mutation($input: JournalEntryPostInput!) {
  journalEntryPost(input: $input) {
    __typename
    ... on Posted { number }
    ... on UserError { code message path }
  }
}"""


async def test_an_unbalanced_manual_entry_comes_back_as_a_validation_error_naming_the_lines(world):
    variables = {
        "input": {
            "entryDate": "2026-03-05",
            "lines": [{"accountCode": "5602", "debit": "10"}, {"accountCode": "1001", "credit": "9"}],
        }
    }

    result = await schema.execute(POST, variables, context_value=ctx(Role.FINANCE))

    assert result.errors is None
    assert result.data == {
        "journalEntryPost": {
            "__typename": "ValidationError",
            "code": "VALIDATION",
            "message": "debits 10 and credits 9 differ by 1",
            "path": ["lines"],
        }
    }


async def test_a_buyer_may_not_post_entries(world):
    variables = {"input": {"entryDate": "2026-03-05", "lines": []}}
    result = await schema.execute(POST, variables, context_value=ctx(Role.BUYER))
    assert result.data["journalEntryPost"]["__typename"] == "Forbidden"


async def test_trial_balance_and_reconciliation_read_as_decimal_strings(world):
    await world.stock(world.taxed, "3", "3.333")
    query = """{ trialBalance(start: "2026-03-01", end: "2026-03-31") { accountCode debit credit }
                 financeExport(report: TRIAL_BALANCE, format: XLSX, start: "2026-03-01",
                               end: "2026-03-31") {
                   filename contentType } }"""

    result = await schema.execute(query, context_value=ctx(Role.FINANCE))

    assert result.errors is None
    rows = result.data["trialBalance"]
    assert sum(Decimal(r["debit"]) for r in rows) == sum(Decimal(r["credit"]) for r in rows)
    assert all(isinstance(r["debit"], str) for r in rows)
    assert result.data["financeExport"]["filename"] == "trialBalance-2026-03-31.xlsx"
