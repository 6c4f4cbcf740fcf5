"""The supplier portal's guards: signed session cookies, CSRF tokens in hidden form fields, signed expiring
links scoped to one purchase order, and the sign-in rate limit.

- Session: a cookie signed (HMAC-SHA1 via itsdangerous, timestamped) with ``LOTLINE_SECRET_KEY``, holding
  the user id (or the one order of a link), the CSRF token and the password-hash fingerprint, so changing a
  password or deactivating the user ends every session. Path ``/portal``, HttpOnly, SameSite=Lax.
- CSRF: a per-session random token, rendered into every form as ``csrf_token`` and compared in constant time
  on every POST (a plain HTML form posts it; no header needed). Missing or wrong: 403, nothing done.
- Links: ``/portal/l/<token>`` with ``{order, supplier}`` signed under their own salt, valid
  ``portal_link_days``; opening one starts a session confined to that order.
- Rate limit: at most ``MAX_FAILURES`` failed sign-ins per username and per client address in ``WINDOW``
  seconds (in-process: one API process per deployment keeps it exact; behind several, each counts its own).
"""

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from lotline.config import Settings

SESSION_COOKIE = "lotline_portal"
PRE_SESSION_COOKIE = "lotline_portal_pre"
COOKIE_PATH = "/portal"
DEFAULT_SECRET = "dev-only-not-secret"
# Keys printed in this repository (settings default, docker-compose placeholder): anyone can read them.
PUBLIC_SECRETS = frozenset({DEFAULT_SECRET, "change-me-in-production"})
MAX_FAILURES = 5
WINDOW = 15 * 60.0


class InsecureSecretKey(RuntimeError):
    """The portal signs sessions with LOTLINE_SECRET_KEY: the default one is public, so only the demo may."""


def is_demo(settings: Settings) -> bool:
    return settings.database_url.startswith("sqlite")


def check_secret(settings: Settings) -> None:
    if settings.secret_key.get_secret_value() in PUBLIC_SECRETS and not is_demo(settings):
        raise InsecureSecretKey(
            "门户需要设置 LOTLINE_SECRET_KEY · the supplier portal needs LOTLINE_SECRET_KEY set "
            "(the default key is public; only the SQLite demo may use it)"
        )


def fingerprint(password_hash: str) -> str:
    """A short digest of the stored password hash: a new password invalidates old sessions."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Signer:
    settings: Settings

    def _serializer(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.settings.secret_key.get_secret_value(), salt=salt)

    def dump_session(self, data: dict[str, Any]) -> str:
        return self._serializer("portal-session").dumps(data)

    def load_session(self, cookie: str | None) -> dict[str, Any] | None:
        if not cookie:
            return None
        max_age = self.settings.portal_session_hours * 3600
        try:
            data = self._serializer("portal-session").loads(cookie, max_age=max_age)
        except BadSignature:  # also SignatureExpired
            return None
        return data if isinstance(data, dict) else None

    def order_link(self, order_id: int, supplier_id: int) -> str:
        return self._serializer("portal-order-link").dumps({"o": order_id, "s": supplier_id})

    def load_order_link(self, token: str) -> tuple[int, int] | None:
        max_age = self.settings.portal_link_days * 86400
        try:
            data = self._serializer("portal-order-link").loads(token, max_age=max_age)
        except BadSignature:
            return None
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("o"), int)
            or not isinstance(data.get("s"), int)
        ):
            return None
        return data["o"], data["s"]


def new_csrf() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(expected: str | None, given: object) -> bool:
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(expected or "", given)


class LoginLimiter:
    """Failed sign-ins per key (a username, an address) in a sliding window; ``now`` is injected."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW) -> None:
        self.max_failures, self.window = max_failures, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, keys: list[str], now: float | None = None) -> bool:
        at = time.monotonic() if now is None else now
        return any(len(self._recent(k, at)) >= self.max_failures for k in keys)

    def fail(self, keys: list[str], now: float | None = None) -> None:
        at = time.monotonic() if now is None else now
        for k in keys:
            self._recent(k, at).append(at)

    def succeed(self, username_key: str) -> None:
        self._failures.pop(username_key, None)
