"""The one web3 user for ``AttestationRegistry``: deploy, register and revoke keys, submit attestations.

Like ``client.AnchorRegistryClient`` it signs with a local key (the operator's, who registers keys only
after checking their proof of possession off chain) and waits for the receipt; verification is a free call.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from eth_account import Account
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
