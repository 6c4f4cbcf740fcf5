"""Sorting list queries by a custom field through GraphQL: keyset cursors over (value, id), nulls last, on
PostgreSQL and on the demo's SQLite; typed errors for an unknown key and for a cursor of another sort."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise.context import TortoiseContext

from domain.partners.rules import Role
from tests import factories
from tests.integration.lowcode.conftest import SCHEMA, context, field_key, gql

DEFINE = """
mutation($input: CustomFieldDefineInput!) {
  customFieldDefine(input: $input) { __typename ... on UserError { message } }
}"""
SKU_CREATE = """
mutation($input: SkuCreateInput!) {
  skuCreate(input: $input) { __typename ... on UserError { message path } }
}"""
PAGE = """
query($first: Int!, $after: String, $search: String, $sort: CustomFieldSort) {
  skus(first: $first, after: $after, search: $search, customSort: $sort) {
    edges { cursor node { code customFields } }
    pageInfo { hasNextPage endCursor }
  }
}"""
SALES_PAGE = """
query($sort: CustomFieldSort) {
  salesOrders(first: 5, customSort: $sort) { edges { node { number } } }
}"""
# One field of each ordered kind for the whole module (defining again with the same key replaces it).
DECIMAL_KEY, DATE_KEY, TEXT_KEY = field_key("sortDec"), field_key("sortDay"), field_key("sortTxt")
KINDS = {DECIMAL_KEY: "DECIMAL", DATE_KEY: "DATE", TEXT_KEY: "TEXT"}
DAY0 = date(2031, 1, 1)


async def _define_fields() -> None:
    for key, kind in KINDS.items():
        found = await gql(
            Role.ADMIN,
            DEFINE,
            input={"entity": "SKU", "key": key, "kind": kind, "labelZh": "排序", "labelEn": "Sort"},
        )
        assert found["customFieldDefine"]["__typename"] == "Posted"


def _stored(key: str, raw: int | None) -> Any:
    """The custom value a test value stands for: a decimal, a date or a text, ordered as ``raw``."""
    if raw is None:
        return None
    if key == DECIMAL_KEY:
        return str(Decimal(raw) / 4)
    if key == DATE_KEY:
        return (DAY0 + timedelta(days=raw)).isoformat()
    return f"v{raw + 100:03d}"  # zero-padded: text order is number order under any collation


async def _create(prefix: str, key: str, raws: list[int | None]) -> list[str]:
    codes = []
    for i, raw in enumerate(raws):
        code = f"{prefix}-{i:02d}"
        custom = {} if raw is None else {key: _stored(key, raw)}
        sku = {"code": code, "nameZh": "排序", "nameEn": "Sort", "baseUnit": "kg", "customFields": custom}
        created = await gql(Role.BUYER, SKU_CREATE, input=sku)
        assert created["skuCreate"]["__typename"] == "Sku", created
        codes.append(code)
    return codes


async def _walk(prefix: str, key: str, direction: str, size: int) -> list[str]:
    """Every code of the list, page by page, following ``endCursor``."""
    seen: list[str] = []
    after = None
    for _ in range(100):
        data = await gql(
            Role.BUYER,
            PAGE,
            first=size,
            after=after,
            search=prefix,
            sort={"key": key, "direction": direction},
        )
        page = data["skus"]
        seen += [e["node"]["code"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the pages never ended")


def _expected(codes: list[str], raws: list[int | None], descending: bool) -> list[str]:
    """Values in order, ties in creation (id) order, both reversed when descending; nulls last."""
    sign = -1 if descending else 1
    valued = sorted((sign * raw, sign * i) for i, raw in enumerate(raws) if raw is not None)
    nulls = sorted(sign * i for i, raw in enumerate(raws) if raw is None)
    return [codes[sign * i] for _, i in valued] + [codes[sign * i] for i in nulls]


values = st.lists(st.none() | st.integers(-6, 6), min_size=0, max_size=9)  # few values: many ties


async def _property(key: str, raws: list[int | None], descending: bool, size: int) -> None:
    await _define_fields()
    prefix = factories.code("SRT")
    codes = await _create(prefix, key, raws)
    walked = await _walk(prefix, key, "DESC" if descending else "ASC", size)
    assert walked == _expected(codes, raws, descending)
    assert len(set(walked)) == len(codes)


PROPERTY = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(key=st.sampled_from(list(KINDS)), raws=values, descending=st.booleans(), size=st.integers(1, 4))
async def test_paging_a_sorted_list_visits_every_row_once_in_order_on_postgres(
    fields_db: object, key: str, raws: list[int | None], descending: bool, size: int
) -> None:
    await _property(key, raws, descending, size)


@PROPERTY
@given(key=st.sampled_from(list(KINDS)), raws=values, descending=st.booleans(), size=st.integers(1, 4))
async def test_paging_a_sorted_list_visits_every_row_once_in_order_on_sqlite(
    sqlite_db: TortoiseContext, key: str, raws: list[int | None], descending: bool, size: int
) -> None:
    await _property(key, raws, descending, size)


async def _problem(query: str, **variables: Any) -> tuple[str | None, list[str]]:
    """The typed error a list query answers: its code (in ``extensions``) and the domain error's path."""
    result = await SCHEMA.execute(query, variables, context_value=context(Role.ADMIN))
    assert result.errors is not None
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    return (error.extensions or {}).get("code"), list(getattr(error.original_error, "path", ()))


async def test_an_unknown_key_and_a_cursor_of_another_sort_are_typed_errors(fields_db: object) -> None:
    await _define_fields()
    prefix = factories.code("SRT")
    await _create(prefix, DECIMAL_KEY, [1, 2, 3])
    asc = {"key": DECIMAL_KEY, "direction": "ASC"}
    first = await gql(Role.BUYER, PAGE, first=1, search=prefix, sort=asc)
    cursor = first["skus"]["pageInfo"]["endCursor"]
    plain = await gql(Role.BUYER, PAGE, first=1, search=prefix)
    plain_cursor = plain["skus"]["pageInfo"]["endCursor"]

    unknown = await _problem(PAGE, first=2, search=prefix, sort={"key": "noSuchField"})
    # The sales order list knows only its own fields: a SKU field is unknown there.
    elsewhere = await _problem(SALES_PAGE, sort={"key": DECIMAL_KEY})
    reversed_ = await _problem(
        PAGE, first=2, after=cursor, search=prefix, sort={"key": DECIMAL_KEY, "direction": "DESC"}
    )
    other_key = await _problem(PAGE, first=2, after=cursor, search=prefix, sort={"key": DATE_KEY})
    unsorted_cursor = await _problem(PAGE, first=2, after=plain_cursor, search=prefix, sort=asc)
    sorted_cursor_unsorted = await _problem(PAGE, first=2, after=cursor, search=prefix)

    assert unknown == ("VALIDATION", ["customSort", "key"])
    assert elsewhere == ("VALIDATION", ["customSort", "key"])
    assert reversed_ == other_key == unsorted_cursor == sorted_cursor_unsorted == ("VALIDATION", ["after"])
