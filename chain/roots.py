"""Which Merkle roots the registry holds, read from the chain, with a short-lived cache.

``RootReader(rpc_url, contract)`` is called with 0x roots and answers ``{root: AnchorInfo | None}``: the
contract's record of each root (None: not anchored), or raises ``ChainUnavailable``. A root seen on chain is
remembered for ``hit_ttl`` seconds (default 30: a reorg deeper than that is the worker's business, and the
audit reads the chain every time), a root not seen for ``miss_ttl`` seconds (default 3, so a fresh anchor
shows up at once). The contract address is the configured one: an anchor row naming another contract is
not believed. The bytecode at the address is checked once, at the first read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from chain.client import AnchorRegistryClient
from chain.proof import AnchorInfo


class RootReader:
    def __init__(
        self,
        rpc_url: str,
        contract: str,
        *,
        hit_ttl: float = 30.0,
        miss_ttl: float = 3.0,
        timeout: float = 5.0,
    ) -> None:
        self.rpc_url = rpc_url
        self.contract = contract.lower()
        self.hit_ttl = hit_ttl
        self.miss_ttl = miss_ttl
        self.timeout = timeout
        self._client: AnchorRegistryClient | None = None
        self._lock = asyncio.Lock()
        self._cache: dict[str, tuple[float, AnchorInfo | None]] = {}

    async def _connected(self) -> AnchorRegistryClient:
        if self._client is None:
            self._client = await AnchorRegistryClient.connect(
                self.rpc_url, self.contract, request_timeout=self.timeout, retries=0
            )
        return self._client

    async def read(self, roots: Iterable[str]) -> dict[str, AnchorInfo | None]:
        """The registry's record of each root (lower-case 0x hex keys)."""
        wanted = sorted({r.lower() for r in roots})
        now = time.monotonic()
        out: dict[str, AnchorInfo | None] = {}
        missing = []
        for root in wanted:
            hit = self._cache.get(root)
            if hit is not None and hit[0] > now:
                out[root] = hit[1]
            else:
                missing.append(root)
        if missing:
            async with self._lock:
                client = await self._connected()
                for root in missing:
                    info = await client.get_anchor(bytes.fromhex(root.removeprefix("0x")))
                    ttl = self.hit_ttl if info is not None else self.miss_ttl
                    self._cache[root] = (time.monotonic() + ttl, info)
                    out[root] = info
        return out

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
