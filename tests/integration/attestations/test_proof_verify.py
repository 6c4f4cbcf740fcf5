"""Stand-alone verification of an exported attestation proof: ``lotline verify`` checks it off chain (the
message's fields, the keys, the aggregate) and on chain (the Attested event, the registry's keys and verify),
with no database; any tampering fails with the reason."""

import asyncio
import json
from pathlib import Path

from py_ecc.bls import G2ProofOfPossession as bls  # noqa: N813 - the scheme, as py-ecc names it
from typer.testing import CliRunner

from chain import anvil
from chain.attestation_client import AttestationRegistryClient
from domain.attestations import evidence
from lotline.cli import app
from tests.integration.attestations.world import queued_attestation
from workers.attestations import Submitter


async def recorded_proof(chain, anchorer, tmp_path: Path, *, name_public: bool = True) -> Path:
    reg = await AttestationRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY)
    att_id = await queued_attestation(anchorer, reg, 2, name_public=name_public)
    await Submitter.for_registry(chain.url, reg.address, anvil.DEV_ACCOUNT_KEY).submit(att_id)
    path = tmp_path / "attestation.json"
    path.write_text((await evidence.proof_of(att_id)).to_json())
    return path


async def verify(path: Path, *extra: str) -> tuple[int, str]:
    # The CLI runs its own event loop (asyncio.run): from a thread, as a shell would run it.
    result = await asyncio.to_thread(CliRunner().invoke, app, ["verify", str(path), *extra])
    return result.exit_code, result.output


async def test_an_exported_proof_verifies_off_chain_and_on_chain(db, chain, anchorer, tmp_path) -> None:
    path = await recorded_proof(chain, anchorer, tmp_path)
    code, out = await verify(path)
    assert code == 0, out
    assert "链下 off chain: 已验证 verified" in out
    assert "质检方 0 (inspector)" in out
    code, out = await verify(path, "--rpc", chain.url)
    assert code == 0, out
    assert "链上 on chain: 已验证 verified" in out


async def test_a_tampered_proof_fails_with_its_reason(db, chain, anchorer, tmp_path) -> None:
    path = await recorded_proof(chain, anchorer, tmp_path, name_public=False)
    data = json.loads(path.read_text())
    assert [s["name"] for s in data["signers"]] == [None, None]  # kept off public proofs
    cases = {
        "MESSAGE_MISMATCH": {"claim": "qc_verdict"},
        "BAD_SIGNATURE": {"aggregateSignature": "0x" + bytes(bls.Sign(7, b"other")).hex()},
        "KEY_ID_MISMATCH": {
            "signers": [{**data["signers"][0], "keyId": "0x" + "ab" * 32}, data["signers"][1]]
        },
    }
    for reason, change in cases.items():
        path.write_text(json.dumps({**data, **change}))
        code, out = await verify(path, "--rpc", chain.url)
        assert code == 1, out
        assert reason in out
    # The signers the chain recorded are not the proof's: one dropped.
    aggregate_of_one = data | {"signers": data["signers"][:1]}
    path.write_text(json.dumps(aggregate_of_one))
    code, out = await verify(path, "--rpc", chain.url)
    assert code == 1
    assert "BAD_SIGNATURE" in out
