"""An attestation proof against the chain (one RPC URL, read-only): the recording transaction's event, the
registry's keys and its own ``verify``. See ``chain.attestation_proof`` for what a proof holds."""

import json
from typing import Any

from eth_typing import HexStr
from web3 import AsyncHTTPProvider, AsyncWeb3

from chain import attestation as bls
from chain.attestation_client import ARTIFACT
from chain.attestation_proof import AttestationProof, Verdict


async def verify_on_chain(proof: AttestationProof, rpc_url: str) -> Verdict:
    """Problems found on chain (empty: recorded as the proof says). Network errors propagate."""
    w3 = AsyncWeb3(AsyncHTTPProvider(rpc_url))
    try:
        return await _verify(w3, proof)
    finally:
        # The provider's HTTP session: a page built per request must not leave one behind per build.
        await w3.provider.disconnect()


async def _verify(w3: AsyncWeb3[AsyncHTTPProvider], proof: AttestationProof) -> Verdict:
    abi: Any = json.loads(ARTIFACT.read_text())["abi"]
    address = AsyncWeb3.to_checksum_address(proof.registry)
    contract = w3.eth.contract(address=address, abi=abi)
    problems = []
    if int(await w3.eth.chain_id) != proof.chain_id:
        problems.append(
            f"WRONG_CHAIN: the RPC serves chain {await w3.eth.chain_id}, the proof {proof.chain_id}"
        )
        return Verdict(problems)
    try:
        receipt = await w3.eth.get_transaction_receipt(HexStr(proof.tx_hash))
    except Exception:
        return Verdict([f"NOT_RECORDED: no transaction {proof.tx_hash} on this chain"])
    events = [
        e
        for e in contract.events.Attested().process_receipt(receipt)
        if e["address"].lower() == address.lower()
    ]
    if not events:
        return Verdict(["NOT_RECORDED: the transaction has no Attested event of this registry"])
    args = events[0]["args"]
    ids = [s.key_id for s in proof.signers]
    if (bytes(args["batch"]), bytes(args["root"]), bytes(args["claim"])) != (
        proof.batch,
        proof.root,
        proof.claim_bytes(),
    ):
        problems.append("EVENT_MISMATCH: the event names another batch, root or claim")
    if bytes(args["messageHash"]) != bytes(AsyncWeb3.keccak(proof.message)):
        problems.append("EVENT_MISMATCH: the event's message hash is not the proof's message")
    if [bytes(k) for k in args["signers"]] != ids:
        problems.append("SIGNERS_MISMATCH: the event names other signers")
    if int(receipt["blockNumber"]) != proof.block_number:
        problems.append(
            f"BLOCK_MISMATCH: recorded in block {receipt['blockNumber']}, not {proof.block_number}"
        )
    # ``attest`` emits only after the precompiles verified the aggregate, so the event is the proof that the
    # chain checked it. A key revoked since does not undo that; it is a note. With every key still held,
    # the registry's ``verify`` is asked again.
    notes = []
    for s in proof.signers:
        held = bytes(await contract.functions.keys(s.key_id).call())
        if not held:
            notes.append(f"KEY_REVOKED_SINCE: the registry no longer holds the {s.role} key")
        elif held != bls.g1_eip2537(s.public_key):
            problems.append(f"KEY_MISMATCH: the registry holds another key under the {s.role} key id")
    if not problems and not notes:
        sig = bls.g2_eip2537(proof.aggregate)
        if not await contract.functions.verify(proof.message, ids, sig).call():
            problems.append("BAD_SIGNATURE: the registry's verify refuses the aggregate")
    return Verdict(problems, notes)
