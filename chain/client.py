"""The AnchorRegistry client: the only module of Lotline that talks web3.

One ``AnchorRegistryClient`` per contract: it checks at connect that the code at the address is our
artifact's, signs with a local key, serialises its own transactions (pending nonce), waits for a configurable
number of confirmations, and turns every web3 / connection failure into ``ChainUnavailable`` and every revert
into ``AnchorRejected`` carrying the custom error's name.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import aiohttp
from eth_abi.abi import decode as abi_decode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from hexbytes import HexBytes
from web3 import AsyncHTTPProvider, AsyncWeb3
from web3.contract import AsyncContract
from web3.exceptions import ContractLogicError, TransactionNotFound, Web3Exception
from web3.providers.rpc.utils import ExceptionRetryConfiguration

from chain import hashing
from chain.errors import AnchorRejected, BytecodeMismatch, ChainUnavailable
from chain.proof import AnchorInfo

ZERO_ROOT = b"\x00" * 32
DEFAULT_ARTIFACT = Path(__file__).resolve().parents[1] / "contracts_solidity" / "AnchorRegistry.json"
GAS_MARGIN = 1.2  # estimate * margin: storage-cost estimates can be a little short


@dataclass(frozen=True, slots=True)
class AnchorReceipt:
    root: bytes
    tx_hash: bytes
    block_number: int
    block_hash: bytes
    leaf_count: int
    gas_used: int = 0


@dataclass(frozen=True, slots=True)
class AnchoredLog:
    root: bytes
    previous_root: bytes
    leaf_count: int
    anchorer: str
    tx_hash: bytes
    block_number: int


@dataclass(frozen=True, slots=True)
class Artifact:
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: bytes
    solc_version: str

    @classmethod
    def load(cls, path: Path = DEFAULT_ARTIFACT) -> Artifact:
        data = json.loads(path.read_text())
        return cls(
            abi=data["abi"],
            bytecode=data["bytecode"],
            deployed_bytecode=bytes.fromhex(data["deployedBytecode"].removeprefix("0x")),
            solc_version=data["solcVersion"],
        )

    def error_selectors(self) -> dict[bytes, tuple[str, list[str]]]:
        """4-byte selector -> (custom error name, argument types)."""
        selectors = {}
        for item in self.abi:
            if item["type"] == "error":
                types = [i["type"] for i in item["inputs"]]
                signature = f"{item['name']}({','.join(types)})"
                selectors[hashing.keccak256(signature.encode())[:4]] = (item["name"], types)
        return selectors


class AnchorRegistryClient:
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
        self._last_tx: HexBytes | None = None
        self._errors = artifact.error_selectors()

    @property
    def address(self) -> str:
        return str(self.contract.address)

    # ---- construction -------------------------------------------------------------------------------------

    @staticmethod
    def _web3(rpc_url: str, timeout: float, retries: int) -> AsyncWeb3[AsyncHTTPProvider]:
        retry = None
        if retries > 0:  # web3 8.0 needs `errors` given: its None default fails its own validation
            retry = ExceptionRetryConfiguration(errors=(aiohttp.ClientError, TimeoutError), retries=retries)
        provider = AsyncHTTPProvider(
            rpc_url, request_kwargs={"timeout": timeout}, exception_retry_configuration=retry
        )
        return AsyncWeb3(provider)

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
        w3 = cls._web3(rpc_url, request_timeout, retries)
        try:
            with _translate(rpc_url):
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
        w3 = cls._web3(rpc_url, request_timeout, retries)
        try:
            with _translate(rpc_url):
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
        with _translate(self._url):
            return await self.w3.eth.block_number

    async def get_logs(self, from_block: int, to_block: int | str = "latest") -> list[AnchoredLog]:
        with _translate(self._url):
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

    @property
    def _url(self) -> str:
        return str(self.w3.provider.endpoint_uri)

    @staticmethod
    def _checksum(address: str) -> str:
        return str(AsyncWeb3.to_checksum_address(address))

    async def _call(self, fn: Any) -> Any:
        with _translate(self._url), self._reverts():
            return await fn.call()

    async def _transact(self, fn: Any) -> Any:
        if self.account is None:
            raise ValueError("this client has no private key: it can only read")
        sender = self.account.address
        async with self._send_lock:
            try:
                with _translate(self._url), self._reverts():
                    nonce = await self._nonce(sender)
                    gas = await fn.estimate_gas({"from": sender})  # a revert surfaces here, before signing
                    tx = await fn.build_transaction(
                        {
                            "from": sender,
                            "nonce": nonce,
                            "gas": int(gas * GAS_MARGIN),
                            "chainId": self.chain_id,
                        }
                    )
                    signed = self.account.sign_transaction(tx)
                    tx_hash = HexBytes(await self.w3.eth.send_raw_transaction(signed.raw_transaction))
            except BaseException:
                self._forget_nonce()  # "nonce too low / too high": the next send asks the node again
                raise
            self._next_nonce = nonce + 1
            self._last_tx = tx_hash
        try:
            with _translate(self._url):
                receipt = await self._wait_confirmed(tx_hash)
        except BaseException:
            # Never mined (a nonce gap after a node reset, a reorg that dropped it): resync from the node.
            if self._last_tx == tx_hash:
                self._forget_nonce()
            raise
        if receipt["status"] != 1:
            raise AnchorRejected("reverted", tx_hash=bytes(tx_hash))
        return receipt

    async def _nonce(self, sender: ChecksumAddress) -> int:
        """The node's pending nonce, unless it lags behind what we sent and still knows our last transaction.

        A node can count fewer transactions than we sent for two reasons: it lags (a load-balanced RPC whose
        backend has not seen them yet), or it lost them (a reorg or a restarted node). Only the first keeps
        our cached nonce; after the second, a nonce above the node's would queue forever behind the gap.
        """
        pending = int(await self.w3.eth.get_transaction_count(sender, "pending"))
        if pending >= self._next_nonce:
            return pending
        if self._last_tx is not None:
            try:
                await self.w3.eth.get_transaction(self._last_tx)
            except TransactionNotFound:
                pass
            else:
                return self._next_nonce
        self._forget_nonce()
        return pending

    def _forget_nonce(self) -> None:
        self._next_nonce = 0
        self._last_tx = None

    async def _wait_confirmed(self, tx_hash: HexBytes) -> Any:
        """Wait for the receipt, then for ``confirmations`` blocks; re-read it so a reorg is noticed."""
        receipt = await self.w3.eth.wait_for_transaction_receipt(
            tx_hash, timeout=self.receipt_timeout, poll_latency=self.poll_interval
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.receipt_timeout
        while True:
            head = await self.w3.eth.block_number
            if head >= receipt["blockNumber"] + self.confirmations - 1:
                again = await self.w3.eth.wait_for_transaction_receipt(
                    tx_hash, timeout=self.receipt_timeout, poll_latency=self.poll_interval
                )
                if again["blockHash"] == receipt["blockHash"]:
                    return again
                receipt = again  # reorganised into another block: count again from there
            if loop.time() > deadline:
                raise ChainUnavailable(
                    f"transaction 0x{bytes(tx_hash).hex()} did not reach "
                    f"{self.confirmations} confirmations in time",
                    url=self._url,
                )
            await asyncio.sleep(self.poll_interval)

    @contextlib.contextmanager
    def _reverts(self) -> Iterator[None]:
        try:
            yield
        except ContractLogicError as exc:
            raise self._rejection(exc) from exc

    def _rejection(self, exc: ContractLogicError) -> AnchorRejected:
        data = exc.data if isinstance(exc.data, str) else None
        if data and data.startswith("0x") and len(data) >= 10:
            raw = bytes.fromhex(data[2:])
            known = self._errors.get(raw[:4])
            if known is not None:
                name, types = known
                return AnchorRejected(name, args=tuple(abi_decode(types, raw[4:])))
        message = str(exc.message or exc)
        return AnchorRejected(message.removeprefix("execution reverted: "))


@contextlib.contextmanager
def _translate(url: str) -> Iterator[None]:
    """web3, HTTP and socket failures -> ChainUnavailable; contract reverts are left to ``_reverts``."""
    try:
        yield
    except ContractLogicError:
        raise
    except (Web3Exception, aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise ChainUnavailable(f"chain node at {url} failed: {type(exc).__name__}: {exc}", url=url) from exc


async def fetch_anchor_info(rpc_url: str, contract: str, root: bytes, **options: Any) -> AnchorInfo | None:
    """What the registry at ``contract`` holds for ``root`` (None if not anchored): the input of verify.py."""
    client = await AnchorRegistryClient.connect(rpc_url, contract, **options)
    async with client:
        return await client.get_anchor(root)
