"""The supplier portal's routes (``/portal/…``), to mount at the root of the app beside the provenance pages.

``configure(app, settings)`` decides whether the portal may run: with the public default secret key outside
the SQLite demo it stays off (every page answers 503 and says why), rather than signing sessions with a key
anyone can read. Routes carry their own prefix: Starlette 1.x answers POSTs to a mounted sub-app with a 307.
"""

import logging

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route

from lotline.config import Settings
from supplier_portal import (
    portal_attest,
    portal_auth,
    portal_docs,
    portal_health,
    portal_orders,
    portal_statement,
    security,
    web,
)

logger = logging.getLogger("supplier_portal")


def configure(app: Starlette, settings: Settings) -> None:
    app.state.portal_limiter = security.LoginLimiter()
    try:
        security.check_secret(settings)
    except security.InsecureSecretKey as exc:
        logger.error("%s", exc)
        app.state.portal_disabled = True
    else:
        app.state.portal_disabled = False


def routes() -> list[BaseRoute]:
    return [
        Route("/portal", lambda request: web.redirect("/portal/"), methods=["GET"]),
        Route("/portal/", portal_orders.home, methods=["GET"], name="portal_home"),
        Route("/portal/login", portal_auth.login_form, methods=["GET"], name="portal_login"),
        Route("/portal/login", portal_auth.login, methods=["POST"]),
        Route("/portal/logout", portal_auth.logout, methods=["POST"], name="portal_logout"),
        Route("/portal/l/{token}", portal_auth.open_link, methods=["GET"], name="portal_link"),
        Route("/portal/orders/{order_id}", portal_orders.order_page, methods=["GET"]),
        Route("/portal/orders/{order_id}/ack", portal_orders.ack_form, methods=["GET"]),
        Route("/portal/orders/{order_id}/ack", portal_orders.ack_post, methods=["POST"]),
        Route("/portal/orders/{order_id}/asn", portal_orders.asn_form, methods=["GET"]),
        Route("/portal/orders/{order_id}/asn", portal_orders.asn_post, methods=["POST"]),
        Route("/portal/asns", portal_docs.asn_list, methods=["GET"]),
        Route("/portal/asns/{asn_id}", portal_docs.asn_page, methods=["GET"]),
        Route("/portal/asns/{asn_id}/certificates", portal_docs.certificate_post, methods=["POST"]),
        Route("/portal/asns/{asn_id}/cancel", portal_docs.asn_cancel, methods=["POST"]),
        Route("/portal/certificates/{cert_id}", portal_docs.certificate_download, methods=["GET"]),
        Route("/portal/receipts/{receipt_id}", portal_docs.receipt_page, methods=["GET"]),
        Route("/portal/quality", portal_docs.quality, methods=["GET"]),
        Route("/portal/documents", portal_docs.documents, methods=["GET"]),
        Route("/portal/statement", portal_statement.statement_page, methods=["GET"]),
        Route("/portal/statement.csv", portal_statement.statement_csv, methods=["GET"]),
        Route("/portal/scorecard", portal_health.scorecard, methods=["GET"]),
        Route("/portal/health", portal_health.dashboard, methods=["GET"]),
        Route("/portal/health/refresh", portal_health.refresh, methods=["POST"]),
        *portal_attest.routes(),  # co-signing with a key kept in the browser (issue 19)
    ]
