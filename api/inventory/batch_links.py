# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""What a batch shows the outside: its public code, provenance page and label URLs; finding it by lot code.

``BatchLinks`` is mixed into the ``Batch`` type. The public code is the one the QR label carries
(``domain.provenance``): issued on first ask (by this field, a page or ``lotline label``) and never changed,
so asking for it is safe to repeat. One query loads the codes of a whole page of batches; only batches
without a code yet cost one insert each, once.
URLs are absolute: ``LOTLINE_PUBLIC_BASE_URL`` when set (behind a proxy), else this request's own address.
"""

from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.dataloader import DataLoader
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from api.context import Info
from domain.provenance import rules as provenance_rules
from domain.provenance import services as provenance
from domain.provenance.models import BatchPublicCode
from supplier_portal import provenance as pages


def _codes(info: Info) -> "DataLoader[int, str]":
    async def load(batch_ids: list[int]) -> list[str]:
        found = {r.batch_id: r.code for r in await BatchPublicCode.filter(batch_id__in=batch_ids)}
        return [found.get(i) or await provenance.public_code_for(i) for i in batch_ids]

    return info.context.loaders.get("batch_public_code", lambda: DataLoader(load_fn=load))


async def _page(info: Info, batch_id: int) -> str:
    code = await _codes(info).load(batch_id)
    request: Any = info.context.request
    return pages.page_url(request, code)


@strawberry.type
class BatchLinks:
    if TYPE_CHECKING:
        id: int

    @strawberry.field(description="公开溯源码（标签二维码所载）/ The public code the QR label carries.")
    async def public_code(self, info: Info) -> str:
        return await _codes(info).load(self.id)

    @strawberry.field(description="公开溯源页 / The public provenance page (what the QR code opens).")
    async def provenance_url(self, info: Info) -> str:
        return await _page(info, self.id)

    @strawberry.field(description="可打印标签（SVG，含品名与批号）/ The printable label: QR, product, lot.")
    async def label_svg_url(self, info: Info) -> str:
        return f"{await _page(info, self.id)}/label.svg"

    @strawberry.field(description="二维码图片（PNG）/ The QR code alone, as PNG.")
    async def label_png_url(self, info: Info) -> str:
        return f"{await _page(info, self.id)}/label.png"


def filter_batches(query: QuerySet[Any], lot_code: str | None, search: str | None) -> QuerySet[Any]:
    """``lotCode``: the lot code as printed on the box (case and surrounding spaces ignored).
    ``search``: part of a lot code or SKU code, or a whole public code as typed or scanned."""
    if lot_code is not None:
        query = query.filter(lot_code__iexact=lot_code.strip())
    if search:
        text = search.strip()
        match = Q(lot_code__icontains=text) | Q(sku__code__icontains=text)
        if (code := provenance_rules.normalise_code(text)) is not None:
            match |= Q(public_code__code=code)
        query = query.filter(match)
    return query
