"""The chain as pages and the API read it: a ``verification.Roots`` for the configured registry.

One ``chain.roots.RootReader`` (with its short cache) per RPC URL, contract and event loop. With no RPC URL
or contract configured there is no reader, and anchored events show as unverifiable, never as verified.
"""

import asyncio
import functools
from collections.abc import Mapping
from dataclasses import dataclass

from web3 import AsyncHTTPProvider, AsyncWeb3

from chain import hashing
from chain.artifact import Artifact
from chain.roots import RootReader
from domain.anchoring.verification import Roots
from lotline.config import Settings, get_settings

_READERS: dict[tuple[str, str, int], RootReader] = {}


_LOCAL_CHAIN: tuple[str, str] | None = None  # (rpc, contract) of the demo's own Anvil, when it runs
_LOCAL_ATTESTATION: str | None = None  # the AttestationRegistry on it
_CHAIN_IDS: dict[str, int] = {}


def use_local_chain(rpc: str | None, contract: str | None = None, attestation: str | None = None) -> None:
    """The embedded demo chain (``workers.embedded``) is not in the settings the app was built with: it
    starts with the server. It registers here, so pages and GraphQL verify against it too (None: stopped)."""
    global _LOCAL_CHAIN, _LOCAL_ATTESTATION
    _LOCAL_CHAIN = (rpc, contract) if rpc and contract else None
    _LOCAL_ATTESTATION = attestation if rpc and attestation else None


@dataclass(frozen=True)
class AttestationTarget:
    rpc: str
    address: str  # the AttestationRegistry
    chain_id: int


class NoAttestationRegistry(RuntimeError):
    """No registry configured (``LOTLINE_CHAIN_ATTESTATION_ADDRESS``), or its chain did not answer."""


async def attestation_target(settings: Settings) -> AttestationTarget:
    """Where attestations are recorded: the configured registry, or the demo chain's. Raises
    ``NoAttestationRegistry``. The chain id is read once per RPC URL (it is part of every signed message)."""
    rpc, address = settings.chain_rpc_url, settings.chain_attestation_address
    if (not rpc or not address) and _LOCAL_CHAIN is not None and _LOCAL_ATTESTATION is not None:
        rpc, address = _LOCAL_CHAIN[0], _LOCAL_ATTESTATION
    if not rpc or not address:
        raise NoAttestationRegistry(
            "no attestation registry is configured (LOTLINE_CHAIN_ATTESTATION_ADDRESS)"
        )
    if rpc not in _CHAIN_IDS:
        try:
            w3 = AsyncWeb3(AsyncHTTPProvider(rpc))
            try:
                _CHAIN_IDS[rpc] = int(await w3.eth.chain_id)
            finally:
                await w3.provider.disconnect()
        except Exception as exc:  # any transport failure: the caller says "chain unreachable"
            raise NoAttestationRegistry(f"the chain at {rpc} did not answer: {exc}") from None
    return AttestationTarget(rpc, AsyncWeb3.to_checksum_address(address), _CHAIN_IDS[rpc])


def rpc_for(settings: Settings) -> str | None:
    """The chain's RPC URL: the configured one, else the demo chain's, else None."""
    return settings.chain_rpc_url or (_LOCAL_CHAIN[0] if _LOCAL_CHAIN is not None else None)


def settings_of_app(state: object) -> Settings:
    settings = getattr(state, "settings", None)
    return settings if isinstance(settings, Settings) else get_settings()


def roots_for(settings: Settings) -> Roots | None:
    rpc, contract = settings.chain_rpc_url, settings.chain_contract_address
    if (not rpc or not contract) and _LOCAL_CHAIN is not None:
        rpc, contract = _LOCAL_CHAIN
    if not rpc or not contract:
        return None
    key = (rpc, contract.lower(), id(asyncio.get_running_loop()))
    reader = _READERS.get(key)
    if reader is None:
        reader = _READERS[key] = RootReader(rpc, contract)

    async def read(roots: list[str]) -> Mapping[str, bool]:
        found = await reader.read(roots)
        return {root: info is not None for root, info in found.items()}

    return read


def roots_of_app(state: object) -> Roots | None:
    """The reader for an app's ``state.settings`` (the environment's settings when it has none)."""
    settings = getattr(state, "settings", None)
    return roots_for(settings if isinstance(settings, Settings) else get_settings())


_GENESIS: dict[str, tuple[int, bytes]] = {}


async def genesis_of(rpc: str) -> tuple[int, bytes] | None:
    """The chain id and block-0 hash of the chain at ``rpc`` (read once per URL: neither ever changes), or
    None when it does not answer. The block-0 hash tells one chain from another with the same id."""
    if rpc not in _GENESIS:
        try:
            w3 = AsyncWeb3(AsyncHTTPProvider(rpc, request_kwargs={"timeout": 5}))
            try:
                chain_id = int(await w3.eth.chain_id)
                genesis = bytes((await w3.eth.get_block(0))["hash"])
            finally:
                await w3.provider.disconnect()
        except Exception:  # any transport failure: the proof file is still checkable with cast
            return None
        _GENESIS[rpc] = (chain_id, genesis)
    return _GENESIS[rpc]


@functools.cache
def expected_code_hash() -> bytes:
    """keccak256 of the AnchorRegistry's runtime bytecode as compiled (docs/proof-format.md, ``codeHash``)."""
    return hashing.keccak256(Artifact.load().deployed_bytecode)


async def with_chain_facts(proof: dict[str, object], settings: Settings) -> dict[str, object]:
    """A proof file (``chain.proof`` format, version 2) with ``anchor.codeHash`` and, when the configured (or
    demo) chain answers with the anchor's chain id, ``anchor.genesisHash`` — as docs/proof-format.md §6 and
    ``lotline export-proof`` give them. A file without an anchor is returned as it is."""
    anchor = proof.get("anchor")
    if not isinstance(anchor, dict):
        return proof
    anchor.setdefault("codeHash", "0x" + expected_code_hash().hex())
    rpc = rpc_for(settings)
    found = await genesis_of(rpc) if rpc else None
    if found is not None and found[0] == anchor.get("chainId"):
        anchor.setdefault("genesisHash", "0x" + found[1].hex())
    return proof
