"""The HTTP contract of /graphql: malformed requests are 4xx with a GraphQL error body, never 500; the media
type follows ``Accept``; request errors are 400 under ``application/graphql-response+json``.

The full conformance suite (graphql-http's audits) runs against a live uvicorn in tests/e2e/http.
"""

import json
from collections.abc import Callable

import httpx
import pytest

from api.graphql_http import GRAPHQL_RESPONSE_JSON, response_media_type
from lotline.config import Settings

JSON = "application/json"
NEW = {"content-type": JSON, "accept": GRAPHQL_RESPONSE_JSON}


def assert_graphql_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errors"}
    assert body["errors"][0]["extensions"]["code"] == code
    assert body["errors"][0]["message"]


@pytest.mark.parametrize("body", ["null", '"x"', "0", "true", "[]", '[{"query": "{ __typename }"}]', "{"])
async def test_a_body_that_is_not_a_json_object_is_a_400_with_a_graphql_error(
    client: httpx.AsyncClient, body: str
) -> None:
    response = await client.post("/graphql", content=body, headers={"content-type": JSON})

    assert_graphql_error(response, 400, "BAD_REQUEST")
    assert response.headers["content-type"] == JSON


@pytest.mark.parametrize(
    "body",
    [
        {"query": 1},
        {"query": "{ __typename }", "variables": "x"},
        {"query": "{ __typename }", "variables": [1]},
        {"query": "{ __typename }", "operationName": {"a": 1}},
        {"query": "{ __typename }", "extensions": False},
    ],
)
async def test_a_parameter_of_the_wrong_type_is_a_400(client: httpx.AsyncClient, body: object) -> None:
    response = await client.post("/graphql", json=body, headers=NEW)

    assert_graphql_error(response, 400, "BAD_REQUEST")
    assert response.headers["content-type"] == GRAPHQL_RESPONSE_JSON


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_a_body_that_is_not_json_is_a_415(client: httpx.AsyncClient, content_type: str) -> None:
    response = await client.post(
        "/graphql", content=json.dumps({"query": "{ __typename }"}), headers={"content-type": content_type}
    )

    assert_graphql_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_another_method_is_a_405_with_a_graphql_error(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "/graphql", json={"query": "{ __typename }"})

    assert_graphql_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET, POST"


async def test_a_body_without_a_content_type_is_a_415(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", content=b'{"query": "{ __typename }"}')

    assert_graphql_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_a_body_over_the_limit_is_a_413_whether_declared_or_streamed(client: httpx.AsyncClient) -> None:
    limit = Settings().graphql_max_body_bytes
    huge = json.dumps({"query": "{ __typename }", "variables": {"pad": "x" * limit}}).encode()

    declared = await client.post("/graphql", content=huge, headers={"content-type": JSON})

    async def chunks():  # no content-length: the body is counted as it arrives
        for start in range(0, len(huge), 65536):
            yield huge[start : start + 65536]

    streamed = await client.post("/graphql", content=chunks(), headers={"content-type": JSON})
    assert_graphql_error(declared, 413, "PAYLOAD_TOO_LARGE")
    assert_graphql_error(streamed, 413, "PAYLOAD_TOO_LARGE")


async def test_a_body_just_under_the_limit_is_executed(client: httpx.AsyncClient) -> None:
    limit = Settings().graphql_max_body_bytes
    shell = json.dumps({"query": "{ __typename }", "variables": {"pad": ""}}).encode()
    body = json.dumps({"query": "{ __typename }", "variables": {"pad": "x" * (limit - len(shell))}}).encode()
    assert len(body) == limit

    response = await client.post("/graphql", content=body, headers={"content-type": JSON})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{", None),  # parse
        ("{ noSuchField }", None),  # validation
        ("query($id: ID!) { node(id: $id) { id } }", {"id": None}),  # variable coercion
    ],
)
async def test_a_request_error_is_400_without_data_for_the_new_media_type_and_200_for_json(
    client: httpx.AsyncClient, query: str, variables: object
) -> None:
    payload = {"query": query, "variables": variables}

    new = await client.post("/graphql", json=payload, headers=NEW)
    legacy = await client.post("/graphql", json=payload, headers={"accept": JSON})

    assert new.status_code == 400
    assert new.headers["content-type"] == GRAPHQL_RESPONSE_JSON
    assert "data" not in new.json()
    assert new.json()["errors"]
    assert legacy.status_code == 200
    assert legacy.headers["content-type"] == JSON
    assert legacy.json()["data"] is None


async def test_a_field_error_is_200_with_data_under_the_new_media_type(client: httpx.AsyncClient) -> None:
    # Not signed in: the field is refused while executing, so the request itself was fine.
    response = await client.post("/graphql", json={"query": "{ skus(first: 1) { totalCount } }"}, headers=NEW)

    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE_JSON
    body = response.json()
    assert "data" in body
    assert body["errors"][0]["path"] == ["skus"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", JSON),
        ("*/*", JSON),
        (JSON, JSON),
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON}, {JSON};q=0.9", GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=0.5, {JSON}", JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=0", JSON),
        (f"{JSON}, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=nonsense", JSON),
        ("text/html", JSON),
    ],
)
def test_the_response_media_type_follows_accept_and_its_qualities(accept: str, expected: str) -> None:
    assert response_media_type(accept) == expected


async def test_an_answer_carries_chinese_as_utf8_text_not_escapes(
    client: httpx.AsyncClient, admin: str, unique: Callable[[str], str]
) -> None:
    code = unique("UTF")
    create = """mutation($input: SkuCreateInput!) { skuCreate(input: $input) {
        ... on Sku { code nameZh } } }"""
    sku = {"code": code, "nameZh": "冷链鸡蛋 · 一级", "nameEn": "Eggs", "baseUnit": "kg"}
    response = await client.post(
        "/graphql",
        json={"query": create, "variables": {"input": sku}},
        headers={"Authorization": f"Bearer {admin}"},
    )

    assert response.json() == {"data": {"skuCreate": {"code": code, "nameZh": "冷链鸡蛋 · 一级"}}}
    text = response.content.decode("utf-8")
    assert '"nameZh":"冷链鸡蛋 · 一级"' in text
    assert "\\u" not in text
