"""An expected client error is one log line, never a traceback; a bug is logged once, with its traceback."""

import logging

import pytest

from domain.catalog import services as catalog
from lotline.config import Settings
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code


def server_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the app logged for the request: the test's own HTTP client logs its requests too, and asyncio
    reports (when the garbage collector runs, so at any moment) an HTTP session another test left open."""
    return [
        r
        for r in caplog.records
        if not r.name.startswith(("httpx", "httpcore"))
        and not (r.name == "asyncio" and r.getMessage().startswith("Unclosed client session"))
    ]


def text_lines(records: list[logging.LogRecord]) -> list[str]:
    handler = logging.Handler()
    handler.setFormatter(logging.Formatter())
    return [line for r in records for line in handler.format(r).splitlines()]


TOO_MANY_TOKENS = "{ " + " ".join("__typename" for _ in range(Settings().graphql_max_tokens + 1)) + " }"
TOO_DEEP = "{ locations(first: 1) { edges { node { " + "parent { " * 12 + "id" + " }" * 12 + " } } } }"


@pytest.mark.parametrize(
    ("query", "variables", "needle"),
    [
        (TOO_MANY_TOKENS, None, "more than"),  # over the token limit
        (TOO_DEEP, None, "exceeds maximum operation depth"),  # over the depth limit
        ("{ skus(first: 1) { nosuchfield } }", None, "Cannot query field"),  # validation
        ("{ skus(first: 1) {", None, "Syntax Error"),  # parse
        # variable coercion
        ("query($n: Int!) { skus(first: $n) { totalCount } }", {"n": "x"}, "Int cannot represent"),
        ('{ skus(after: "nonsense") { totalCount } }', None, "malformed cursor"),  # a domain error in a query
    ],
)
async def test_an_expected_client_error_logs_one_line_without_a_traceback(
    gql: Gql, admin: str, caplog: pytest.LogCaptureFixture, query: str, variables: object, needle: str
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()

    body = await gql(query, variables, token=admin)

    assert body["errors"]
    records = server_lines(caplog)
    assert len(records) == 1, caplog.text
    record = records[0]
    assert record.name == "api.client"
    assert record.levelno == logging.INFO
    assert record.exc_info is None
    assert needle in record.getMessage()
    assert len(text_lines(records)) == 1


async def test_a_malformed_body_logs_one_line(client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()

    response = await client.post("/graphql", content="null", headers={"content-type": "application/json"})

    assert response.status_code == 400
    records = server_lines(caplog)
    assert [(r.name, r.levelno, r.exc_info) for r in records] == [("api.http", logging.INFO, None)]
    assert len(text_lines(records)) == 1


async def test_a_bug_is_logged_once_with_its_traceback(
    gql: Gql, admin: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object) -> None:
        raise RuntimeError("a bug in create_category")

    monkeypatch.setattr(catalog, "create_category", broken)
    caplog.set_level(logging.INFO)
    caplog.clear()

    body = await gql(
        "mutation($input: CategoryCreateInput!) { categoryCreate(input: $input) { __typename } }",
        {"input": {"code": code("C"), "nameZh": "类", "nameEn": "cat"}},
        token=admin,
    )

    assert body["errors"][0]["message"] == "Internal server error"
    with_traceback = [r for r in server_lines(caplog) if r.exc_info]
    assert len(with_traceback) == 1
    assert with_traceback[0].levelno == logging.ERROR
    assert "a bug in create_category" in caplog.text
