"""The order pages' prefetch reads are hand-written on PostgreSQL (issue 15: ``api.loaders``): children as
``.values()`` rows and related rows by id. Each gives what the ORM read gives on the same database — the
same dicts (keys, values, their types and places: ``repr``) in the same order, the loader's ``Values`` rows
read as those dicts field for field (their JSON columns decoded when first read), and the same models field
for field — for orders with every column filled (custom values, dates, notes, returns) and without."""

from typing import Any

import pytest
from tortoise.models import Model

from api import loaders, page_reads
from domain.catalog.models import Sku
from domain.inventory.models import Warehouse
from domain.partners.models import Customer, Supplier
from domain.purchasing.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine, SupplierReturn
from domain.sales.models import CustomerReturn, SalesOrder, SalesOrderLine, Shipment
from tests.e2e.api.test_list_prefetch import _orders
from tests.e2e.api.world import make_world


async def _orm(fn: Any, *args: Any) -> Any:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(loaders, "is_postgres", lambda: False)
        return await fn(*args)


def _fields(objs: list[Model]) -> list[dict[str, str]]:
    return [
        {
            **{name: repr(getattr(o, name)) for name in o._meta.fields_db_projection},
            "_saved_in_db": repr(o._saved_in_db),
            "_partial": repr(o._partial),
        }
        for o in sorted(objs, key=lambda o: o.pk)
    ]


async def test_prefetch_reads_give_what_the_orm_gives(db: object) -> None:
    world = await make_world()
    _, po_ids, so_ids = await _orders(world)
    none = [max(po_ids + so_ids) + 10_000]
    children = [
        (PurchaseOrderLine, po_ids),
        (GoodsReceipt, po_ids),
        (SupplierReturn, po_ids),
        (SalesOrderLine, so_ids),
        (Shipment, so_ids),
        (CustomerReturn, so_ids),
    ]
    for model, ids in children:
        for asked in (ids, ids[:1], none):
            sql = await loaders._children_values(model, "order_id", asked)
            orm = await _orm(loaders._children_values, model, "order_id", asked)
            assert repr(sql) == repr(orm), model
            # The loader's rows (JSON columns decoded when first read) read as those dicts, field for field.
            rows = await loaders._children_rows(model, "order_id", asked)
            # JSON columns held as read until first asked for (a list page's nodes never ask).
            json = loaders._json_fields(model)
            assert all(loaders._raw(n) in r.__dict__ and n not in r.__dict__ for r in rows for n in json)
            names = loaders.value_fields(model)
            assert repr([{n: getattr(r, n) for n in names} for r in rows]) == repr(orm), model
            assert all(getattr(r, n) is getattr(r, n) for r in rows for n in names)
            for r in rows:
                with pytest.raises(AttributeError):
                    r.no_such_column  # noqa: B018
        assert await loaders._children_values(model, "order_id", ids), model  # the orders have each kind
    orders = await PurchaseOrder.filter(id__in=po_ids)
    sales_orders = await SalesOrder.filter(id__in=so_ids)
    related: list[tuple[type[Model], list[Any]]] = [
        (Supplier, [o.supplier_id for o in orders]),
        (Customer, [o.customer_id for o in sales_orders]),
        (Warehouse, [o.warehouse_id for o in orders]),
        (Sku, [world.sku_id, world.sku_id + 10_000_000]),
    ]
    for model, ids in related:
        unique = list(dict.fromkeys(ids))
        sql_rows = await loaders._by_ids(model, unique, "id")
        assert sql_rows, model
        assert _fields(sql_rows) == _fields(await _orm(loaders._by_ids, model, unique, "id")), model


async def test_order_pages_read_as_the_orm_reads_them(db: object) -> None:
    """``page_reads.equal_read`` (an order list without custom filters): the same ``.values()`` dicts as
    the ORM for each filter the lists take, repeated (a supplier user naming another supplier), with and
    without a cursor, any page size."""
    world = await make_world()
    _, po_ids, so_ids = await _orders(world)
    po = await PurchaseOrder.get(id=po_ids[0])
    so = await SalesOrder.get(id=so_ids[0])
    cases: list[tuple[type[Model], list[tuple[str, Any]]]] = [
        (PurchaseOrder, []),
        (PurchaseOrder, [("supplier_id", po.supplier_id)]),
        (PurchaseOrder, [("supplier_id", po.supplier_id), ("supplier_id", po.supplier_id + 1)]),
        (PurchaseOrder, [("supplier_id", po.supplier_id), ("warehouse_id", po.warehouse_id)]),
        (PurchaseOrder, [("status", po.status), ("warehouse_id", po.warehouse_id)]),
        (PurchaseOrder, [("status", "no such status")]),
        (SalesOrder, [("customer_id", so.customer_id)]),
        (SalesOrder, [("customer_id", so.customer_id), ("status", so.status)]),
        (SalesOrder, [("warehouse_id", so.warehouse_id)]),
    ]
    for model, equal in cases:
        read = page_reads.equal_read(model, equal)
        for after in (None, min(po_ids + so_ids) - 1, po_ids[0], so_ids[0]):
            for limit in (1, 2, 200):
                sql = await read(after, limit)
                with pytest.MonkeyPatch.context() as m:
                    m.setattr(page_reads, "is_postgres", lambda: False)
                    orm = await read(after, limit)
                assert repr(sql) == repr(orm), (model, equal, after, limit)
        if equal and equal[0][0] in ("customer_id",):
            assert await read(None, 200)  # the cases reach rows
    mine = await page_reads.equal_read(PurchaseOrder, [("supplier_id", po.supplier_id)])(po_ids[0] - 1, 200)
    assert [r["id"] for r in mine][:2] == po_ids
    assert mine[0]["custom"]  # custom values decoded, as values_of reads them
