"""Printable labels of a batch's public page: ``/p/{code}/label.svg`` (QR code, product and lot) and
``/p/{code}/label.png`` (the QR code alone), carrying the page's absolute URL."""

import io
from datetime import UTC, datetime

import segno
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.provenance import services
from supplier_portal.provenance import TEMPLATES, not_found, page_url


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def label_svg(url: str, product_zh: str, product_en: str, lot_code: str) -> str:
    """A 60 × 84 mm label: the QR code, then product and lot; one dark path for the QR, text as text."""
    qr = _qr(url)
    border = 4
    size = qr.symbol_size(scale=1, border=border)[0]
    runs = []
    for y, row in enumerate(qr.matrix_iter(scale=1, border=border)):
        x = 0
        cells = list(row)
        while x < len(cells):
            if cells[x]:
                start = x
                while x < len(cells) and cells[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return TEMPLATES.get_template("label.svg.html").render(
        size=size,
        scale=400 / size,
        path="".join(runs),
        product_zh=product_zh,
        product_en=product_en,
        lot_code=lot_code,
    )


async def _label_facts(request: Request) -> tuple[str, services.Provenance] | None:
    found = await services.provenance_of(request.path_params["code"], datetime.now(UTC), None)
    return None if found is None else (page_url(request, found.public_code), found)


async def label_svg_route(request: Request) -> Response:
    facts = await _label_facts(request)
    if facts is None:
        return not_found(request)
    url, p = facts
    svg = label_svg(url, p.product_zh, p.product_en, p.lot_code)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})


async def label_png_route(request: Request) -> Response:
    # The PNG is the QR code alone (segno writes PNG without an imaging library; text would need one and a
    # CJK font): print the SVG for a label with the product and lot, use the PNG where only a code fits.
    facts = await _label_facts(request)
    if facts is None:
        return not_found(request)
    out = io.BytesIO()
    _qr(facts[0]).save(out, kind="png", scale=10, border=4)
    return Response(out.getvalue(), media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})


def routes() -> list[Route]:
    """The label routes, to mount at the root of the app beside ``provenance.routes()``."""
    return [
        Route("/p/{code}/label.svg", label_svg_route, methods=["GET"], name="provenance_label_svg"),
        Route("/p/{code}/label.png", label_png_route, methods=["GET"], name="provenance_label_png"),
    ]
