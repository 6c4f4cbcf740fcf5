"""Every GET page of the supplier portal and the public provenance pages, signed in as a supplier and as staff
and not at all, with hand-edited path keys and query strings (odd digits, signs, huge numbers, any text):
a page, a redirect or a 4xx, never a 500. The property behind test_portal_odd_numbers' examples."""

import contextlib
import re
import secrets
from collections.abc import AsyncIterator
from decimal import Decimal
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Route

from domain.partners import services as partners
from domain.provenance import services as provenance
from supplier_portal import labels, portal
from supplier_portal import provenance as provenance_pages
from tests import factories
from tests.e2e.portal.conftest import Browser, PortalStory

GET_PAGES = [
    r.path
    for r in (*portal.routes(), *provenance_pages.routes(), *labels.routes())
    if isinstance(r, Route) and r.methods and "GET" in r.methods
]
QUERY_KEYS = ("page", "weeks", "rows", "since", "until", "next", "done", "cancelled")
ODD = ["0", "-1", "+1", "01", "1_0", "²", "١٢", "１２", "9" * 20, "9" * 5000, "1e9", "1.5", " 1", "", "\x00"]
VALUES = st.one_of(st.sampled_from(ODD), st.text(max_size=40), st.integers(-(10**30), 10**30).map(str))


def _fill(path: str, keys: list[str], known: dict[str, str]) -> str:
    """The route's ``{param}``s: a real key of the story where ``keys`` says "known", else the odd text."""
    it = iter(keys)

    def one(m: re.Match[str]) -> str:
        value = next(it, "1")
        return quote(known.get(m.group(1), "1") if value == "known" else value, safe="")

    return re.sub(r"\{(\w+)\}", one, path)


@pytest.fixture
async def visitors(portal_app: Starlette, ps: PortalStory) -> AsyncIterator[dict[str, Browser]]:
    """A signed-in supplier, signed-in staff and an anonymous visitor, each its own client and address."""
    staff = await partners.create_user(
        f"z-{ps.story.supplier.code.lower()}", "correct-horse-battery", "buyer"
    )
    out: dict[str, Browser] = {}
    async with contextlib.AsyncExitStack() as stack:
        for n, (who, username) in enumerate(
            (("supplier", ps.username), ("staff", staff.username), ("nobody", ""))
        ):
            transport = httpx.ASGITransport(
                app=portal_app,
                raise_app_exceptions=False,
                client=(f"127.9.{secrets.randbelow(250)}.{n + 1}", 5000),
            )
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://portal.test")
            )
            out[who] = Browser(client)
            if username:
                assert (await out[who].sign_in(username)).status_code == 303
        yield out


@pytest.fixture
async def known(ps: PortalStory) -> dict[str, str]:
    """Real keys of the story: its order, and a public code of a lot the story's supplier delivered."""
    lot = await factories.receive(await factories.make_sku(), ps.story.wh, ps.story.supplier, Decimal(3))
    return {"order_id": str(ps.story.order_id), "code": await provenance.public_code_for(lot.batch_id)}


async def test_every_page_takes_every_odd_number_in_every_place(
    visitors: dict[str, Browser], known: dict[str, str]
) -> None:
    failures = []
    for who, visitor in visitors.items():
        for page in GET_PAGES:
            params = re.findall(r"\{(\w+)\}", page)
            for odd in ODD:
                tries = [(_fill(page, ["known"] * len(params), known), dict.fromkeys(QUERY_KEYS, odd))]
                tries += [
                    (_fill(page, [odd if q == p else "known" for q in params], known), {}) for p in params
                ]
                for url, query in tries:
                    response = await visitor.get(url, params=query)
                    if response.status_code >= 500:
                        failures.append((who, url[:80], {k: v[:20] for k, v in query.items()}))
    assert failures == []


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.data(), who=st.sampled_from(["supplier", "staff", "nobody"]), page=st.sampled_from(GET_PAGES))
async def test_no_hand_edited_link_is_a_server_error(
    visitors: dict[str, Browser], known: dict[str, str], data: st.DataObject, who: str, page: str
) -> None:
    params = re.findall(r"\{(\w+)\}", page)
    keys = [data.draw(st.one_of(st.just("known"), VALUES), label=p) for p in params]
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_KEYS), VALUES, max_size=3), label="query")
    url = _fill(page, keys, known)
    response = await visitors[who].get(url, params=query)
    assert response.status_code < 500, (who, url, query, response.status_code, response.text[:300])
