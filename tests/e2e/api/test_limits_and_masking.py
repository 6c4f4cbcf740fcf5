import pytest

from domain.catalog import services as catalog
from lotline.config import Settings
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code


async def test_a_query_deeper_than_the_limit_is_rejected(gql: Gql, admin: str) -> None:
    depth = Settings().graphql_max_depth
    inner = "id"
    for _ in range(depth):
        inner = f"parent {{ {inner} }}"
    body = await gql(f"{{ locations(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}", token=admin)
    assert body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_a_query_with_too_many_aliases_is_rejected(gql: Gql, admin: str) -> None:
    aliases = " ".join(
        f"a{i}: skus(first: 1) {{ totalCount }}" for i in range(Settings().graphql_max_aliases + 1)
    )
    body = await gql(f"{{ {aliases} }}", token=admin)
    assert body["data"] is None
    assert "aliases found" in body["errors"][0]["message"]


async def test_a_query_with_too_many_tokens_is_rejected(gql: Gql, admin: str) -> None:
    fields = " ".join("__typename" for _ in range(5000))
    body = await gql(f"{{ {fields} }}", token=admin)
    assert "more than 5000 tokens" in body["errors"][0]["message"]


async def test_an_internal_error_is_masked_and_its_text_never_leaves(
    gql: Gql, admin: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object) -> None:
        raise RuntimeError("password=hunter2 at db-internal-7")

    monkeypatch.setattr(catalog, "create_category", broken)
    body = await gql(
        """mutation($input: CategoryCreateInput!) {
             categoryCreate(input: $input) { __typename } }""",
        {"input": {"code": code("C"), "nameZh": "类", "nameEn": "cat"}},
        token=admin,
    )
    assert body["errors"][0]["message"] == "Internal server error"
    assert "hunter2" not in str(body)
    assert "hunter2" in caplog.text  # the real error is logged for us


async def test_a_malformed_cursor_is_a_readable_validation_error(gql: Gql, admin: str) -> None:
    body = await gql('{ skus(after: "nonsense") { totalCount } }', token=admin)
    assert body["errors"][0]["message"] == "malformed cursor"
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_a_page_larger_than_the_maximum_is_refused(gql: Gql, admin: str) -> None:
    body = await gql("{ skus(first: 201) { totalCount } }", token=admin)
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
