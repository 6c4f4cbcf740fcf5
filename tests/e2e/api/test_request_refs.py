"""A list page's request is freed when it answers, not by the cyclic collector (issue 15).

The page reads orders, lines, suppliers and SKUs into the request's loaders; before ``api.executor_refs``
the executor's self-referencing helpers kept all of it (a purchase-order page of 100: ~3,100 objects) until
a collection. With the collector off, the request's context must die with its answer on the real schema.
"""

import gc
import weakref

from starlette.requests import Request

from api.context import Context
from api.schema import create_schema
from domain.partners import services as partners
from lotline.config import Settings
from tests.e2e.api.world import make_order, make_world

PAGE = """{ purchaseOrders(first: 100) { edges { node { number supplier { code } warehouse { code }
  lines { sku { code } quantity { value } received { value } } receipts { number } total { amount } } } } }"""


async def test_a_list_page_leaves_nothing_for_the_cyclic_collector(
    db: object, pg_settings: Settings, admin: str
) -> None:
    world = await make_world()
    for _ in range(3):
        await make_order(world, lines=2)
    schema = create_schema(pg_settings)
    principal = await partners.resolve_token(admin)
    request = Request({"type": "http", "method": "POST", "path": "/graphql", "headers": []})
    gc.collect()
    gc.disable()
    try:
        context = Context(request, None, principal)
        alive = weakref.ref(context)
        result = await schema.execute(PAGE, context_value=context)
        assert result.errors is None, result.errors
        assert result.data is not None
        assert len(result.data["purchaseOrders"]["edges"]) >= 3
        assert context.loaders.built  # the page went through the request's loaders
        del context, result
        assert alive() is None
    finally:
        gc.enable()
