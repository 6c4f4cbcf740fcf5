"""Supplier-portal activity for the demo: a purchase order of the demo supplier (``SUP-SGV``, user
``supplier.sgv``) acknowledged, an ASN received on time with a certificate, a late one received with a
short lot (both registered at the gate, 到货登记), and one still open — so the portal, the provenance page
and the data-health dashboard have something to show. Runs through the domain services, like the rest of
the demo seed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from domain.asn import arrivals, certificates, receiving, rules, services
from domain.asn.models import AsnLine
from domain.catalog.models import Sku
from domain.catalog.services import OrderLineInput
from domain.inventory.models import Location, Warehouse
from domain.partners.models import Supplier
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrder, PurchaseOrderLine

DEMO_SUPPLIER = "SUP-SGV"
DEMO_SUPPLIER_USER = "supplier.sgv"
# A small, valid one-page PDF: the demo's certificate of analysis.
CERTIFICATE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n"
    b"% Certificate of analysis / \xe6\xa3\x80\xe9\xaa\x8c\xe6\x8a\xa5\xe5\x91\x8a: "
    b"residues below limits\n%%EOF\n"
)


@dataclass(frozen=True)
class PortalSeed:
    order_number: str
    asns: tuple[str, ...]  # on time, late, open
    certificate_sha256: str


async def _receiving_bin(warehouse_id: int) -> str:
    loc = await Location.filter(warehouse_id=warehouse_id, kind="internal").order_by("id").first()
    if loc is None:
        wh = await Warehouse.get(id=warehouse_id)
        return wh.code
    return loc.code


async def seed_portal(
    now: datetime, upload_dir: Path, supplier_code: str = DEMO_SUPPLIER
) -> PortalSeed | None:
    """Seeds the portal activity of ``supplier_code`` (None when it has never been ordered from)."""
    supplier = await Supplier.get_or_none(code=supplier_code)
    last = await PurchaseOrder.filter(supplier_id=supplier.id).order_by("-id").first() if supplier else None
    if supplier is None or last is None:
        return None
    line = await PurchaseOrderLine.filter(order_id=last.id).order_by("id").first()
    if line is None:
        return None
    sku = await Sku.get(id=line.sku_id)
    wh = await Warehouse.get(id=last.warehouse_id)
    location = await _receiving_bin(wh.id)
    start = now - timedelta(days=6)
    posted = await purchasing.purchase_order_create(
        supplier.code,
        wh.code,
        [OrderLineInput(sku.code, Decimal(30), line.unit, Decimal(line.unit_price))],
        expected_date=(now + timedelta(days=1)).date(),
        note="门户演示 portal demo",
    )
    order_id = posted.document_id
    await purchasing.purchase_order_confirm(order_id, start)
    order_line = await PurchaseOrderLine.get(order_id=order_id)
    await services.purchase_order_acknowledge(
        order_id,
        [
            rules.AckLine(
                order_line.id,
                "accepted",
                Decimal(30),
                (now + timedelta(days=1)).date(),
                "分三批到货 three lots",
            )
        ],
        start,
        supplier_id=supplier.id,
    )

    def lot(tag: str, qty: int, produced: datetime) -> rules.AsnLineInput:
        return rules.AsnLineInput(
            order_line.id, f"{supplier.code}-{tag}", Decimal(qty), production_date=produced.date()
        )

    numbers = []
    # 1. on time, with a certificate
    on_time = await services.asn_create(
        order_id,
        now - timedelta(days=3),
        [lot(f"{now:%y%m%d}A", 10, now - timedelta(days=4))],
        now - timedelta(days=5),
        supplier_id=supplier.id,
    )
    asn_line = await AsnLine.get(asn_id=on_time.document_id)
    cert = await certificates.certificate_upload(
        on_time.document_id,
        asn_line.id,
        CERTIFICATE,
        rules.CertificateKind.QUALITY_CERTIFICATE,
        "检验报告 certificate of analysis.pdf",
        now - timedelta(days=4),
        upload_dir,
        supplier_id=supplier.id,
    )
    await arrivals.arrival_record(  # 到货登记 at the gate, an hour before the receipt is posted
        arrivals.ArrivalInput(now - timedelta(days=3), asn_id=on_time.document_id, vehicle="云A·12345"),
        now - timedelta(days=3),
    )
    await receiving.goods_receipt_post_from_asn(
        on_time.document_id, location, now - timedelta(days=3, hours=-1)
    )
    numbers.append(on_time.number)
    # 2. late by a day, one box short
    late = await services.asn_create(
        order_id,
        now - timedelta(days=2),
        [lot(f"{now:%y%m%d}B", 10, now - timedelta(days=3))],
        now - timedelta(days=3),
        supplier_id=supplier.id,
    )
    late_line = await AsnLine.get(asn_id=late.document_id)
    await arrivals.arrival_record(  # and it waited six hours at the dock: over the 4 h mark
        arrivals.ArrivalInput(now - timedelta(days=1, hours=6), asn_id=late.document_id),
        now - timedelta(days=1, hours=6),
    )
    await receiving.goods_receipt_post_from_asn(
        late.document_id,
        location,
        now - timedelta(days=1),
        [receiving.ReceivedLine(late_line.id, quantity=Decimal(9))],
    )
    numbers.append(late.number)
    # 3. still on its way
    coming = await services.asn_create(
        order_id, now + timedelta(days=1), [lot(f"{now:%y%m%d}C", 10, now)], now, supplier_id=supplier.id
    )
    numbers.append(coming.number)
    order = await PurchaseOrder.get(id=order_id)
    return PortalSeed(order.number or "", tuple(numbers), cert.sha256)
