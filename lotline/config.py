"""Settings from the environment (prefix ``LOTLINE_``); defaults run the embedded demo."""

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from domain.channels.platforms import Credentials
from domain.common import business_time

VAR_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOTLINE_", env_file=".env", extra="ignore")

    # SQLite under var/ is the embedded demo default; production sets a postgres:// URL.
    database_url: str = f"sqlite://{VAR_DIR}/lotline.sqlite3"
    # Empty means "no broker": work runs in-process (demo). Production sets redis://.
    redis_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    # The address printed in QR labels (behind a proxy the request's own host is not what consumers reach).
    public_base_url: str = ""
    # Signs nothing yet but is required in production; tokens are random and stored hashed.
    secret_key: SecretStr = SecretStr("dev-only-not-secret")
    db_pool_max: int = 20
    graphql_max_depth: int = 12
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 5000
    graphql_max_body_bytes: int = 1_048_576
    chain_rpc_url: str = ""
    chain_private_key: SecretStr = SecretStr("")
    chain_contract_address: str = ""
    # The AttestationRegistry (co-signed attestations, issue 19); the demo chain deploys its own.
    chain_attestation_address: str = ""
    chain_confirmations: int = 1
    # Delivery platforms: JSON {"eleme:<shopId>": {"app_id", "secret", "api_url", "token"},
    # "meituan:<app_poi_code>": {"app_id", "secret", "api_url", "callback_url"}}. Secret: never logged.
    platform_credentials: SecretStr = SecretStr("")

    def platforms(self) -> dict[str, "Credentials"]:
        """The parsed platform credentials (empty when none are configured); ``ValueError`` if malformed."""
        from domain.channels.platforms import parse_credentials

        text = self.platform_credentials.get_secret_value().strip()
        return parse_credentials(json.loads(text)) if text else {}

    # Every business date (expiry, journal date, period, ageing, "today") is taken in this IANA zone.
    business_time_zone: str = business_time.DEFAULT_ZONE
    # How often the worker runs the expiry scan (alerts, promotion proposals, expiring batches), seconds.
    expiry_scan_seconds: float = 3600.0

    @field_validator("business_time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        business_time.parse_zone(value)
        return value

    # Supplier portal: certificates are stored here by SHA-256; sessions and order links are signed with
    # secret_key (the portal refuses to run on the default key outside the SQLite demo).
    upload_dir: Path = VAR_DIR / "uploads"
    portal_session_hours: int = 12
    portal_link_days: int = 14
    # A provenance page is rebuilt when the batch's fingerprint changes, else after this (0: always).
    provenance_page_cache_seconds: float = 10.0


@lru_cache
def get_settings() -> Settings:
    return Settings()
