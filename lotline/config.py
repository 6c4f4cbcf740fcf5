"""Settings from the environment (prefix ``LOTLINE_``); defaults run the embedded demo."""

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    chain_rpc_url: str = ""
    chain_private_key: SecretStr = SecretStr("")
    chain_contract_address: str = ""
    chain_confirmations: int = 1
    # A provenance page is rebuilt when the batch's fingerprint changes, else after this (0: always).
    provenance_page_cache_seconds: float = 10.0


@lru_cache
def get_settings() -> Settings:
    return Settings()
