"""Sending the registry's transactions: one at a time per client, nonces kept, confirmations awaited.

``TransactionSender`` is the sending half of ``AnchorRegistryClient`` (a mixin: the client holds the state).
It estimates gas (a revert surfaces there, before signing, as ``AnchorRejected``), signs with the client's
local key, caches the next nonce and resyncs it from the node after a reorg or node reset, and waits for
``confirmations`` blocks (counting the inclusion block), re-reading the receipt so a reorg is noticed.
Failures of the node or a wait past ``receipt_timeout`` seconds are ``ChainUnavailable``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from hexbytes import HexBytes
from web3 import AsyncHTTPProvider, AsyncWeb3
from web3.exceptions import TransactionNotFound

from chain.errors import AnchorRejected, ChainUnavailable
from chain.rpc import ErrorSelectors, reverts, translate

GAS_MARGIN = 1.2  # estimate * margin: storage-cost estimates can be a little short


class TransactionSender:
    w3: AsyncWeb3[AsyncHTTPProvider]
    chain_id: int
    account: LocalAccount | None
    confirmations: int
    poll_interval: float
    receipt_timeout: float
    _send_lock: asyncio.Lock
    _next_nonce: int
    _last_tx: HexBytes | None
    _errors: ErrorSelectors

    @property
    def _url(self) -> str:
        return str(self.w3.provider.endpoint_uri)

    async def _transact(self, fn: Any) -> Any:
        if self.account is None:
            raise ValueError("this client has no private key: it can only read")
        sender = self.account.address
        async with self._send_lock:
            try:
                with translate(self._url), reverts(self._errors):
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
            with translate(self._url):
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
