"""The one web3 user for ``AttestationRegistry``: deploy, register and revoke keys, submit attestations.

Like ``client.AnchorRegistryClient`` it signs with a local key (the operator's, who registers keys only
after checking their proof of possession off chain) and waits for the receipt; verification is a free call.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from eth_account import Account
from eth_typing import HexStr
from web3 import AsyncHTTPProvider, AsyncWeb3

ARTIFACT = Path(__file__).resolve().parents[1] / "contracts_solidity" / "AttestationRegistry.json"


@dataclass(frozen=True)
class AttestReceipt:
    tx_hash: str
    block_number: int
    gas_used: int


class AttestationRegistryClient:
    def __init__(
        self, w3: AsyncWeb3[AsyncHTTPProvider], contract: Any, private_key: str, chain_id: int
    ) -> None:
        self.w3 = w3
        self.contract = contract
        self.account = Account.from_key(private_key)
        self.chain_id = chain_id

    @property
    def address(self) -> str:
        return str(self.contract.address)

    @classmethod
    async def deploy(cls, rpc_url: str, private_key: str) -> Self:
        artifact = json.loads(ARTIFACT.read_text())
        w3 = AsyncWeb3(AsyncHTTPProvider(rpc_url))
        client = cls(
            w3,
            w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"]),
            private_key,
            await w3.eth.chain_id,
        )
        receipt = await client._send(client.contract.constructor())
        client.contract = w3.eth.contract(address=receipt["contractAddress"], abi=artifact["abi"])
        return client

    @classmethod
    async def connect(cls, rpc_url: str, address: str, private_key: str) -> Self:
        """The registry at ``address``; ``LookupError`` when no contract code is there (a chain reset)."""
        artifact = json.loads(ARTIFACT.read_text())
        w3 = AsyncWeb3(AsyncHTTPProvider(rpc_url))
        checksum = AsyncWeb3.to_checksum_address(address)
        if not await w3.eth.get_code(checksum):
            raise LookupError(f"no AttestationRegistry at {address}")
        contract = w3.eth.contract(address=checksum, abi=artifact["abi"])
        return cls(w3, contract, private_key, await w3.eth.chain_id)

    async def close(self) -> None:
        """Closes the HTTP session of the client's provider (one per client)."""
        await self.w3.provider.disconnect()

    async def key_registered(self, key_id: bytes) -> bool:
        return len(await self.contract.functions.keys(key_id).call()) > 0

    async def find_attested(
        self, batch: bytes, root: bytes, claim: bytes, message_hash: bytes
    ) -> AttestReceipt | None:
        """The ``Attested`` event already on chain for this message (a retry after a lost reply), or None."""
        logs = await self.contract.events.Attested.get_logs(
            from_block=0, argument_filters={"batch": batch, "root": root, "claim": claim}
        )
        for log in logs:
            if bytes(log["args"]["messageHash"]) == message_hash:
                return AttestReceipt(log["transactionHash"].hex(), int(log["blockNumber"]), 0)
        return None

    async def signers_of(self, tx_hash: str) -> list[bytes] | None:
        """The key ids an ``Attested`` event of ``tx_hash`` names (None: no such event, or no such tx)."""
        try:
            receipt = await self.w3.eth.get_transaction_receipt(HexStr(tx_hash))
        except Exception:  # TransactionNotFound and transport errors: not recorded, as far as we can see
            return None
        events = self.contract.events.Attested().process_receipt(receipt)
        return [bytes(k) for k in events[0]["args"]["signers"]] if events else None

    async def _send(self, fn: Any) -> Any:
        tx = await fn.build_transaction(
            {
                "from": self.account.address,
                "nonce": await self.w3.eth.get_transaction_count(self.account.address, "pending"),
                "chainId": self.chain_id,
            }
        )
        signed = self.account.sign_transaction(tx)
        tx_hash = await self.w3.eth.send_raw_transaction(signed.raw_transaction)
        receipt = await self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60, poll_latency=0.05)
        if receipt["status"] != 1:
            raise RuntimeError(f"transaction {tx_hash.hex()} reverted")
        return receipt

    async def register_key(self, key_eip2537: bytes) -> bytes:
        """Registers a 128-byte G1 key; returns its id (keccak256 of the key)."""
        await self._send(self.contract.functions.registerKey(key_eip2537))
        return bytes(AsyncWeb3.keccak(key_eip2537))

    async def revoke_key(self, key_id: bytes) -> None:
        await self._send(self.contract.functions.revokeKey(key_id))

    async def message(self, batch: bytes, root: bytes, claim: bytes, time: int) -> bytes:
        return bytes(await self.contract.functions.message(batch, root, claim, time).call())

    async def hash_to_g2(self, message: bytes) -> bytes:
        return bytes(await self.contract.functions.hashToG2(message).call())

    async def verify(self, message: bytes, signers: list[bytes], signature_eip2537: bytes) -> bool:
        return bool(await self.contract.functions.verify(message, signers, signature_eip2537).call())

    async def attest(
        self,
        batch: bytes,
        root: bytes,
        claim: bytes,
        time: int,
        signers: list[bytes],
        signature_eip2537: bytes,
    ) -> AttestReceipt:
        r = await self._send(
            self.contract.functions.attest(batch, root, claim, time, signers, signature_eip2537)
        )
        return AttestReceipt(r["transactionHash"].hex(), int(r["blockNumber"]), int(r["gasUsed"]))
