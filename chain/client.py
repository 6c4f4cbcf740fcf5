"""The AnchorRegistry client: the only module of Lotline that talks web3.

One ``AnchorRegistryClient`` per contract: it checks at connect that the code at the address is our
artifact's, signs with a local key, serialises its own transactions (pending nonce), waits for a configurable
number of confirmations, and turns every web3 / connection failure into ``ChainUnavailable`` and every revert
into ``AnchorRejected`` carrying the custom error's name.

This module holds the client's connection, writes and reads; its neighbours hold the rest:
``chain.artifact`` the compiled contract and the value types (re-exported here), ``chain.sending`` the
transaction sending (nonces, confirmations), ``chain.rpc`` the web3-to-our-errors translation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Self

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import AsyncHTTPProvider, AsyncWeb3
from web3.contract import AsyncContract

from chain.artifact import DEFAULT_ARTIFACT, AnchoredLog, AnchorReceipt, Artifact
from chain.errors import BytecodeMismatch
from chain.proof import AnchorInfo
from chain.rpc import reverts, translate, web3_for
from chain.sending import GAS_MARGIN, TransactionSender

__all__ = [  # the value types and the artifact are re-exported: importers use chain.client
    "DEFAULT_ARTIFACT",
    "GAS_MARGIN",
    "ZERO_ROOT",
    "AnchorReceipt",
    "AnchorRegistryClient",
    "AnchoredLog",
    "Artifact",
    "fetch_anchor_info",
]

ZERO_ROOT = b"\x00" * 32


class AnchorRegistryClient(TransactionSender):
    """One deployed AnchorRegistry: connect or deploy, anchor roots, read anchors and logs."""

    def __init__(
        self,
        w3: AsyncWeb3[AsyncHTTPProvider],
        contract: AsyncContract,
        artifact: Artifact,
        chain_id: int,
        account: LocalAccount | None = None,
        *,
        confirmations: int = 1,
        poll_interval: float = 0.2,
        receipt_timeout: float = 120.0,
    ) -> None:
        if confirmations < 1:
            raise ValueError("confirmations counts the inclusion block: at least 1")
        self.w3 = w3
        self.contract = contract
        self.artifact = artifact
        self.chain_id = chain_id
        self.account = account
        self.confirmations = confirmations
        self.poll_interval = poll_interval
        self.receipt_timeout = receipt_timeout
        self._send_lock = asyncio.Lock()
        self._next_nonce = 0  # after our last sent transaction; see _nonce
        self._last_tx = None
        self._errors = artifact.error_selectors()

    @property
    def address(self) -> str:
        return str(self.contract.address)

    # ---- construction -------------------------------------------------------------------------------------

    @classmethod
    async def connect(
        cls,
        rpc_url: str,
        address: str,
        private_key: str | None = None,
        *,
        artifact: Artifact | None = None,
        check_bytecode: bool = True,
        request_timeout: float = 10.0,
        retries: int = 3,
        **options: Any,
    ) -> Self:
        """Attach to a deployed registry; ``BytecodeMismatch`` if the code there is not our artifact."""
        artifact = artifact or Artifact.load()
        w3 = web3_for(rpc_url, request_timeout, retries)
        try:
            with translate(rpc_url):
                checksum = AsyncWeb3.to_checksum_address(address)
                chain_id = await w3.eth.chain_id
                if check_bytecode:
                    code = bytes(await w3.eth.get_code(checksum))
                    if code != artifact.deployed_bytecode:
                        raise BytecodeMismatch(
                            checksum, found_size=len(code), expected_size=len(artifact.deployed_bytecode)
                        )
        except BaseException:
            await w3.provider.disconnect()
            raise
        contract = w3.eth.contract(address=checksum, abi=artifact.abi)
        account = Account.from_key(private_key) if private_key else None
        return cls(w3, contract, artifact, chain_id, account, **options)

    @classmethod
    async def deploy(
        cls,
        rpc_url: str,
        private_key: str,
        *,
        artifact: Artifact | None = None,
        request_timeout: float = 10.0,
        retries: int = 3,
        **options: Any,
    ) -> Self:
        """Deploy a new registry (the key's account becomes owner and first anchorer) and connect to it."""
        artifact = artifact or Artifact.load()
        w3 = web3_for(rpc_url, request_timeout, retries)
        try:
            with translate(rpc_url):
                chain_id = await w3.eth.chain_id
            factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
            placeholder = w3.eth.contract(address=AsyncWeb3.to_checksum_address("0x" + "00" * 20))
            client = cls(w3, placeholder, artifact, chain_id, Account.from_key(private_key), **options)
            receipt = await client._transact(factory.constructor())
            address = receipt["contractAddress"]
        except BaseException:
            await w3.provider.disconnect()
            raise
        client.contract = w3.eth.contract(address=address, abi=artifact.abi)
        return client

    async def close(self) -> None:
        await self.w3.provider.disconnect()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ---- writes ------------------------------------------------------------------------------------------

    async def anchor(self, root: bytes, leaf_count: int, previous_root: bytes = ZERO_ROOT) -> AnchorReceipt:
        """Commit a root; returns once the transaction has ``confirmations`` blocks."""
        receipt = await self._transact(self.contract.functions.anchor(root, leaf_count, previous_root))
        return AnchorReceipt(
            root=root,
            tx_hash=bytes(receipt["transactionHash"]),
            block_number=receipt["blockNumber"],
            block_hash=bytes(receipt["blockHash"]),
            leaf_count=leaf_count,
            gas_used=receipt["gasUsed"],
        )

    async def add_anchorer(self, address: str) -> bytes:
        receipt = await self._transact(self.contract.functions.addAnchorer(self._checksum(address)))
        return bytes(receipt["transactionHash"])

    async def remove_anchorer(self, address: str) -> bytes:
        receipt = await self._transact(self.contract.functions.removeAnchorer(self._checksum(address)))
        return bytes(receipt["transactionHash"])

    # ---- reads -------------------------------------------------------------------------------------------

    async def is_anchored(self, root: bytes) -> bool:
        return bool(await self._call(self.contract.functions.isAnchored(root)))

    async def is_anchorer(self, address: str) -> bool:
        return bool(await self._call(self.contract.functions.isAnchorer(self._checksum(address))))

    async def get_anchor(self, root: bytes) -> AnchorInfo | None:
        timestamp, block_number, leaf_count = await self._call(self.contract.functions.anchors(root))
        if leaf_count == 0:
            return None
        return AnchorInfo(root, timestamp, block_number, leaf_count, self.chain_id, self.address.lower())

    async def verify_on_chain(self, root: bytes, leaf: bytes, proof: Sequence[bytes]) -> bool:
        return bool(await self._call(self.contract.functions.verify(root, leaf, list(proof))))

    async def verify_event_on_chain(self, root: bytes, event_hash: bytes, proof: Sequence[bytes]) -> bool:
        return bool(await self._call(self.contract.functions.verifyEvent(root, event_hash, list(proof))))

    async def block_number(self) -> int:
        with translate(self._url):
            return await self.w3.eth.block_number

    async def get_logs(self, from_block: int, to_block: int | str = "latest") -> list[AnchoredLog]:
        with translate(self._url):
            events = await self.contract.events.Anchored.get_logs(from_block=from_block, to_block=to_block)
        return [
            AnchoredLog(
                root=bytes(e["args"]["root"]),
                previous_root=bytes(e["args"]["previousRoot"]),
                leaf_count=e["args"]["leafCount"],
                anchorer=e["args"]["anchorer"],
                tx_hash=bytes(e["transactionHash"]),
                block_number=e["blockNumber"],
            )
            for e in events
        ]

    # ---- internals ---------------------------------------------------------------------------------------

    @staticmethod
    def _checksum(address: str) -> str:
        return str(AsyncWeb3.to_checksum_address(address))

    async def _call(self, fn: Any) -> Any:
        with translate(self._url), reverts(self._errors):
            return await fn.call()


async def fetch_anchor_info(rpc_url: str, contract: str, root: bytes, **options: Any) -> AnchorInfo | None:
    """What the registry at ``contract`` holds for ``root`` (None if not anchored): the input of verify.py."""
    client = await AnchorRegistryClient.connect(rpc_url, contract, **options)
    async with client:
        return await client.get_anchor(root)
