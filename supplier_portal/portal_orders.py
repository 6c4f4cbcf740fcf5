"""Purchase order pages: the list, one order, its acknowledgement form and its ASN form.

Each handler asks the domain for the order within the visitor's supplier (``views.order`` answers
``NotFound`` for another supplier's order or a draft), so the page of another supplier's order is the 404
page, with no hint that it exists. Forms post back to the same URL; a refused form is shown again, filled
in, with the field and the reason (422); so is one with a character no store keeps (``form_check``).
"""

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.asn import services, views
from domain.common.digits import ascii_digits
from domain.common.errors import DomainError, NotFound
from domain.customfields.rules import Entity, FieldDef
from supplier_portal import custom_form, form_check, forms, web


@web.page(user_only=True)
async def home(request: Request, visitor: web.Visitor) -> Response:
    orders = await views.orders(visitor.supplier_id)
    return web.render(request, "orders.html", visitor=visitor, orders=orders)


async def _order(request: Request, visitor: web.Visitor) -> views.OrderView:
    order_id = web.int_param(request, "order_id")
    visitor.check_order(order_id)
    return await views.order(order_id, visitor.supplier_id)


@web.page()
async def order_page(request: Request, visitor: web.Visitor) -> Response:
    order = await _order(request, visitor)
    return web.render(request, "order.html", visitor=visitor, order=order)


def _error(exc: DomainError) -> tuple[str, str]:
    return forms.field_label(exc.path), exc.message


@web.page()
async def ack_form(request: Request, visitor: web.Visitor) -> Response:
    order = await _order(request, visitor)
    return web.render(request, "ack.html", visitor=visitor, order=order, values={}, error=None)


@web.page()
async def ack_post(request: Request, visitor: web.Visitor) -> Response:
    order = await _order(request, visitor)
    form = await web.form_of(request, visitor, checked=False)
    try:
        form_check.check(form)
        lines = forms.ack_lines(form, [ln.id for ln in order.lines])
        await services.purchase_order_acknowledge(
            order.summary.id,
            lines,
            datetime.now(UTC),
            supplier_id=visitor.supplier_id,
            by_user_id=visitor.user_id,
        )
    except NotFound:
        raise
    except DomainError as exc:
        return web.render(
            request,
            "ack.html",
            status=422,
            visitor=visitor,
            order=order,
            values=dict(form),
            error=_error(exc),
        )
    return web.redirect(f"/portal/orders/{order.summary.id}?acknowledged=1")


def _rows(request: Request, order: views.OrderView) -> int:
    raw = request.query_params.get("rows", "")
    default = len(order.lines) + 1
    return min(int(raw), forms.MAX_ROWS) if ascii_digits(raw) and len(raw) <= 9 and int(raw) > 0 else default


def _row_lines(order: views.OrderView, rows: int) -> list[int]:
    """The order line each blank row starts on: every line once, then the first line again (a second lot)."""
    ids = [ln.id for ln in order.lines]
    return [ids[r] if r < len(ids) else ids[0] for r in range(rows)]


def _asn_form(
    request: Request,
    visitor: web.Visitor,
    order: views.OrderView,
    rows: int,
    custom_defs: list[FieldDef],
    values: dict[str, Any] | None = None,
    error: tuple[str, str] | None = None,
) -> Response:
    """The ASN form with ``rows`` lot rows, filled in with ``values`` (as posted), and the ``error`` line."""
    return web.render(
        request,
        "asn_form.html",
        status=422 if error else 200,
        visitor=visitor,
        order=order,
        rows=rows,
        row_lines=_row_lines(order, rows),
        values=values or {},
        error=error,
        custom_defs=custom_defs,
    )


@web.page()
async def asn_form(request: Request, visitor: web.Visitor) -> Response:
    order = await _order(request, visitor)
    return _asn_form(request, visitor, order, _rows(request, order), await custom_form.fields(Entity.ASN))


@web.page()
async def asn_post(request: Request, visitor: web.Visitor) -> Response:
    order = await _order(request, visitor)
    form = await web.form_of(request, visitor, checked=False)
    custom_defs = await custom_form.fields(Entity.ASN)
    r = form.get("rows")  # the form's own hidden count of rows; anything else is no rows
    rows = min(int(r) if isinstance(r, str) and ascii_digits(r) and len(r) <= 3 else 0, forms.MAX_ROWS)
    try:
        form_check.check(form)
        if form.get("add_row"):  # one more lot row, keeping what was typed (no script needed)
            return _asn_form(request, visitor, order, min(rows + 1, forms.MAX_ROWS), custom_defs, dict(form))
        arrival = forms.arrival(form)
        posted = await services.asn_create(
            order.summary.id,
            arrival,
            forms.asn_lines(form, rows),
            datetime.now(UTC),
            supplier_id=visitor.supplier_id,
            sensor_readings=forms.readings(form, arrival),
            note=forms.text(form, "note", 2000, ("note",)),
            by_user_id=visitor.user_id,
            custom=custom_form.values(form, custom_defs),
        )
    except NotFound:
        raise
    except DomainError as exc:
        error = (custom_form.label(custom_defs, exc.path) or _error(exc)[0], exc.message)
        return _asn_form(request, visitor, order, max(rows, 1), custom_defs, dict(form), error)
    return web.redirect(f"/portal/asns/{posted.document_id}")
