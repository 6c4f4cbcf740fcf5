"""Quality certificates and test reports: checked by magic bytes and size, stored once by SHA-256 under the
upload directory, and anchored: the hash goes into an EPCIS ObjectEvent (OBSERVE, ``inspecting``) about the
lot as ``certificationInfo`` (an RFC 6920 ``ni:///sha-256;…`` URI), which the anchoring worker commits with
every other event. A certificate uploaded before its lot is received is anchored when the receipt is posted.

Files: ``<upload_dir>/<sha256[:2]>/<sha256>`` (no extension: the content type is in the row), written to a
temporary name then renamed, so a reader never sees half a file; the same content twice is one file.
"""

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from tortoise.transactions import in_transaction

from domain.asn import rules
from domain.asn.models import AdvanceShippingNotice, AsnLine, Certificate
from domain.asn.services import scoped_asn
from domain.catalog.models import Sku
from domain.common.errors import NotFound, ValidationError
from domain.inventory.models import Batch, StockQuant, Warehouse
from domain.purchasing.models import PurchaseOrderLine
from domain.trace import builders, recording

MAX_FILENAME = 200


@dataclass(frozen=True)
class CertificateRef:
    id: int
    sha256: str
    content_type: str
    size: int
    anchored_event_id: int | None  # the trace event carrying the hash, once the lot exists


def path_of(upload_dir: Path, sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValidationError("not a SHA-256 hex digest", ("sha256",))
    return upload_dir / sha256[:2] / sha256


def _write_once(upload_dir: Path, sha256: str, content: bytes) -> None:
    target = path_of(upload_dir, sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def record_certificate_event(cert: Certificate, batch: Batch, now: datetime) -> int:
    """Records the ObjectEvent carrying the certificate's hash about ``batch`` (its stock on hand) and links
    the certificate to it; returns the trace event's row id. In the caller's transaction."""
    sku = await Sku.get(id=batch.sku_id)
    quants = await StockQuant.filter(batch_id=batch.id, quantity__gt=0).prefetch_related("location")
    on_hand = sum((Decimal(q.quantity) for q in quants), Decimal(0))
    wh_ids = sorted({q.location.warehouse_id for q in quants if q.location.warehouse_id is not None})
    wh = await Warehouse.get_or_none(id=wh_ids[0]) if wh_ids else None
    lot = recording.LotQuantity(batch, sku, on_hand)
    event = builders.object_event(
        event_time=now,
        action=builders.Action.OBSERVE,
        biz_step="inspecting",
        read_point=recording.warehouse_place(wh) if wh else recording.place("LOTLINE"),
        quantities=[lot.line()],
    )
    event["certificationInfo"] = rules.certification_uri(cert.sha256)
    event = builders.with_event_id(event)
    row = await recording.store_event(event, doc_type="certificate", doc_id=cert.id, links=[lot.link()])
    cert.batch_id = batch.id
    cert.event_id = row.id
    await cert.save(update_fields=["batch_id", "event_id"])
    return int(row.id)


async def batch_of_line(line: AsnLine, supplier_id: int) -> Batch | None:
    order_line = await PurchaseOrderLine.get(id=line.order_line_id)
    return await Batch.get_or_none(sku_id=order_line.sku_id, lot_code=line.lot_code, supplier_id=supplier_id)


async def certificate_upload(
    asn_id: int,
    asn_line_id: int,
    content: bytes,
    kind: str,
    filename: str,
    now: datetime,
    upload_dir: Path,
    *,
    supplier_id: int | None,
    by_user_id: int | None = None,
) -> CertificateRef:
    """Stores a certificate for one lot of an ASN (``supplier_id`` scope: another supplier's ASN or line is
    ``NotFound``). PDF, PNG or JPEG by magic bytes, at most ``rules.MAX_CERTIFICATE_BYTES``."""
    content_type, sha256 = rules.check_certificate(content, kind)
    name = Path(filename or "").name[:MAX_FILENAME]
    async with in_transaction():
        asn = await scoped_asn(asn_id, supplier_id)
        line = await AsnLine.get_or_none(id=asn_line_id, asn_id=asn.id)
        if line is None:
            raise NotFound("ASN line", asn_line_id, ("asnLineId",))
        cert = await Certificate.create(
            supplier_id=asn.supplier_id,
            asn_id=asn.id,
            asn_line_id=line.id,
            lot_code=line.lot_code,
            kind=kind,
            sha256=sha256,
            content_type=content_type,
            size=len(content),
            filename=name,
            uploaded_at=now,
            uploaded_by_id=by_user_id,
        )
        _write_once(upload_dir, sha256, content)
        event_id = None
        batch = await batch_of_line(line, asn.supplier_id)
        if batch is not None:
            event_id = await record_certificate_event(cert, batch, now)
    return CertificateRef(cert.id, sha256, content_type, len(content), event_id)


async def anchor_pending(asn_id: int, now: datetime) -> int:
    """Records the events of the ASN's certificates whose lot now exists (after its receipt); returns
    how many.
    In the caller's transaction."""
    asn = await AdvanceShippingNotice.get(id=asn_id)
    count = 0
    for cert in await Certificate.filter(asn_id=asn_id, event_id__isnull=True).order_by("id"):
        line = await AsnLine.get(id=cert.asn_line_id)
        batch = await batch_of_line(line, asn.supplier_id)
        if batch is not None:
            await record_certificate_event(cert, batch, now)
            count += 1
    return count


async def certificate_file(
    cert_id: int, supplier_id: int | None, upload_dir: Path
) -> tuple[Certificate, Path]:
    """A certificate row and its file path, within the caller's scope (else ``NotFound``)."""
    cert = await Certificate.get_or_none(id=cert_id)
    if cert is None or (supplier_id is not None and cert.supplier_id != supplier_id):
        raise NotFound("certificate", cert_id)
    return cert, path_of(upload_dir, cert.sha256)
