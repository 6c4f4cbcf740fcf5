"""ASN pages and certificate uploads, QC verdicts, and the supplier's documents (read-only).

Uploads: one file per form (PDF, PNG or JPEG told by its magic bytes, at most
``asn.rules.MAX_CERTIFICATE_BYTES``; a request announcing more, or not announcing its length, is refused
before it is read), stored under ``LOTLINE_UPLOAD_DIR`` by SHA-256 and anchored on the lot's EPCIS event.
Downloads are served only within the visitor's scope, as attachments, with the type that was sniffed.
"""

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from domain.asn import certificates, rules, services, views
from domain.asn import documents as documents_view
from domain.common.digits import ascii_digits
from domain.common.errors import DomainError, NotFound
from supplier_portal import form_check, forms, security, web

UPLOAD_SLACK = 64 * 1024  # the multipart envelope and the other fields


async def _asn(request: Request, visitor: web.Visitor) -> views.AsnView:
    asn = await views.asn(web.int_param(request, "asn_id"), visitor.supplier_id)
    visitor.check_order(asn.order_id)
    return asn


@web.page(user_only=True)
async def asn_list(request: Request, visitor: web.Visitor) -> Response:
    asns = await views.asns(visitor.supplier_id)
    return web.render(request, "asns.html", visitor=visitor, asns=asns)


@web.page()
async def asn_page(request: Request, visitor: web.Visitor) -> Response:
    asn = await _asn(request, visitor)
    return web.render(request, "asn.html", visitor=visitor, asn=asn, error=None, kinds=KINDS)


@web.page()
async def asn_cancel(request: Request, visitor: web.Visitor) -> Response:
    """取消: an open ASN, before its goods arrive; the reason is kept on the notice."""
    asn = await _asn(request, visitor)
    form = await web.form_of(request, visitor, checked=False)
    try:
        form_check.check(form)
        await services.asn_cancel(
            asn.id,
            datetime.now(UTC),
            supplier_id=visitor.supplier_id,
            reason=forms.text(form, "reason", rules.MAX_NOTE, ("reason",)),
            by_user_id=visitor.user_id,
        )
    except NotFound:
        raise
    except DomainError as exc:
        error = (forms.field_label(exc.path), exc.message)
        return web.render(request, "asn.html", status=409, visitor=visitor, asn=asn, error=error, kinds=KINDS)
    return web.redirect(f"/portal/asns/{asn.id}?cancelled=1")


KINDS = {
    rules.CertificateKind.QUALITY_CERTIFICATE: ("质量证书", "quality certificate"),
    rules.CertificateKind.TEST_REPORT: ("检测报告", "test report"),
}


@web.page()
async def certificate_post(request: Request, visitor: web.Visitor) -> Response:
    asn = await _asn(request, visitor)
    length = request.headers.get("content-length", "")
    if not ascii_digits(length):
        return web.error_page(request, 411, "上传需要声明长度", "An upload must state its length.", visitor)
    if len(length) > 18 or int(length) > rules.MAX_CERTIFICATE_BYTES + UPLOAD_SLACK:
        return web.error_page(request, 413, "文件超过 10 MiB", "The file is over 10 MiB.", visitor)
    form = await request.form(max_files=1, max_fields=10)
    if not security.csrf_ok(visitor.csrf, form.get("csrf_token")):
        raise web.CsrfFailed
    upload = form.get("file")
    try:
        form_check.check(form)
        if upload is None or isinstance(upload, str):
            raise DomainError("choose a file", ("file",))
        content = await upload.read(rules.MAX_CERTIFICATE_BYTES + 1)
        line_raw = forms.text(form, "asn_line", 12)
        if not ascii_digits(line_raw) or int(line_raw) not in {ln.id for ln in asn.lines}:
            raise NotFound("ASN line", line_raw)
        await certificates.certificate_upload(
            asn.id,
            int(line_raw),
            content,
            forms.text(form, "kind", 24, ("kind",)),
            upload.filename or "",
            datetime.now(UTC),
            web.settings_of(request).upload_dir,
            supplier_id=visitor.supplier_id,
            by_user_id=visitor.user_id,
        )
    except NotFound:
        raise
    except DomainError as exc:
        error = (forms.field_label(exc.path), exc.message)
        return web.render(request, "asn.html", status=422, visitor=visitor, asn=asn, error=error, kinds=KINDS)
    return web.redirect(f"/portal/asns/{asn.id}?uploaded=1")


@web.page()
async def certificate_download(request: Request, visitor: web.Visitor) -> Response:
    cert, path = await certificates.certificate_file(
        web.int_param(request, "cert_id"), visitor.supplier_id, web.settings_of(request).upload_dir
    )
    if visitor.order_id is not None:
        if cert.asn_id is None:
            raise NotFound("certificate", cert.id)
        await _asn_in_link(cert.asn_id, visitor)
    if not path.is_file():
        raise NotFound("certificate file", cert.id)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[cert.content_type]
    return FileResponse(
        path,
        media_type=cert.content_type,
        filename=f"{cert.lot_code}-{cert.sha256[:12]}.{extension}",
        headers={**web.HEADERS, "Content-Security-Policy": "default-src 'none'; sandbox"},
    )


async def _asn_in_link(asn_id: int, visitor: web.Visitor) -> None:
    asn = await views.asn(asn_id, visitor.supplier_id)
    visitor.check_order(asn.order_id)


@web.page(user_only=True)
async def quality(request: Request, visitor: web.Visitor) -> Response:
    return web.render(
        request, "quality.html", visitor=visitor, verdicts=await documents_view.verdicts(visitor.supplier_id)
    )


@web.page(user_only=True)
async def documents(request: Request, visitor: web.Visitor) -> Response:
    orders = [
        await views.order(o.id, visitor.supplier_id) for o in await views.orders(visitor.supplier_id, 50)
    ]
    return web.render(
        request,
        "documents.html",
        visitor=visitor,
        orders=orders,
        bills=await documents_view.bills(visitor.supplier_id),
    )


@web.page()
async def receipt_page(request: Request, visitor: web.Visitor) -> Response:
    receipt, lines = await documents_view.receipt_lines(
        web.int_param(request, "receipt_id"), visitor.supplier_id
    )
    visitor.check_order(receipt.order_id)
    return web.render(request, "receipt.html", visitor=visitor, receipt=receipt, lines=lines)
