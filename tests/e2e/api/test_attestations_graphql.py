"""Co-signed attestations over GraphQL: parties register keys with a proof of possession, a supplier acts
only for its own party, signatures made by the parties are checked (typed errors for a bad signature, a bad
point, a revoked key), the threshold queues the aggregate and the worker records it on Anvil."""

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from api.relay import encode_id
from chain import anvil
from chain.attestation_client import AttestationRegistryClient
from domain.attestations.models import Attestation, AttestationSignature, Party
from domain.common.models import OutboxMessage
from lotline import chainview
from tests.e2e.api.conftest import Gql
from tests.integration.anchoring.conftest import anchorer, chain, registry  # noqa: F401
from tests.integration.attestations.world import anchored_batch, new_key
from workers.attestations import Submitter

TokenFor = Callable[..., Awaitable[str]]
OUT = (
    "__typename ... on Posted { documentId replayed } ... on SignatureRejected { problem path } "
    "... on UserError { code message path }"
)
REGISTER = "mutation($i: PartyRegisterInput!) { partyRegister(input: $i) { " + OUT + " } }"
REVOKE = "mutation($i: PartyRevokeInput!) { partyRevoke(input: $i) { " + OUT + " } }"
ROTATE = "mutation($i: PartyRotateKeyInput!) { partyRotateKey(input: $i) { " + OUT + " } }"
OPEN = "mutation($i: AttestationOpenInput!) { attestationOpen(input: $i) { " + OUT + " } }"
SIGN = "mutation($i: AttestationSignInput!) { attestationSign(input: $i) { " + OUT + " } }"
SUBMIT = "mutation($i: AttestationSubmitInput!) { attestationSubmit(input: $i) { " + OUT + " } }"
LIST = """query($b: ID) { attestations(batchId: $b) { totalCount nodes { id state threshold message claim
  txHash signatures { party { name role } } } } }"""


@pytest.fixture
async def cosigning(chain, registry) -> AsyncIterator[AttestationRegistryClient]:  # noqa: F811
    client = await AttestationRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY)
    chainview.use_local_chain(chain.url, registry.address, client.address)
    yield client
    chainview.use_local_chain(None)
    await client.close()


async def register(gql: Gql, token: str, role: str, key, name: str, **extra) -> dict:
    i = {"name": name, "role": role, "publicKey": key.public, "proofOfPossession": key.proof, **extra}
    return (await gql(REGISTER, {"i": i}, token))["data"]["partyRegister"]


async def test_three_parties_co_sign_over_graphql_and_the_worker_records_the_aggregate(
    gql: Gql,
    token_for: TokenFor,
    anchorer,  # noqa: F811 - the anchoring fixture
    cosigning: AttestationRegistryClient,
) -> None:
    batch = await anchored_batch(anchorer)
    me = await token_for("supplier", supplier_code=batch.supplier_code)
    staff = await token_for("warehouse")
    sup_key, insp_key, car_key = new_key(), new_key(), new_key()

    sup = await register(gql, me, "SUPPLIER", sup_key, "云南高原果蔬合作社", idempotencyKey="reg-1")
    again = await register(gql, me, "SUPPLIER", sup_key, "云南高原果蔬合作社", idempotencyKey="reg-1")
    other = await register(gql, me, "SUPPLIER", new_key(), "another name", idempotencyKey="reg-1")
    assert (sup["__typename"], again["replayed"]) == ("Posted", True)
    assert again["documentId"] == sup["documentId"]
    assert (other["__typename"], other["path"]) == ("Conflict", ["idempotencyKey"])
    party = await Party.get(id=_pk(sup["documentId"]))
    assert party.public_key == sup_key.public
    assert (party.supplier_id, party.role) == (batch.supplier_id, "supplier")
    assert (await register(gql, me, "INSPECTOR", new_key(), "not me"))["__typename"] == "Forbidden"

    bad_pop = new_key()
    refused = await register(gql, staff, "INSPECTOR", bad_pop, "质检站", proofOfPossession=insp_key.proof)
    assert (refused["problem"], refused["path"]) == ("BAD_PROOF_OF_POSSESSION", ["proofOfPossession"])
    infinity = await register(gql, staff, "CARRIER", bad_pop, "x", publicKey="c0" + "00" * 47)
    assert (infinity["problem"], infinity["path"]) == ("BAD_POINT", ["publicKey"])
    insp = await register(gql, staff, "INSPECTOR", insp_key, "上海质检站")
    car = await register(gql, staff, "CARRIER", car_key, "冷链物流", namePublic=False)
    assert insp["__typename"] == car["__typename"] == "Posted"

    b = encode_id("Batch", batch.batch_id)
    refused_open = await gql(OPEN, {"i": {"batchId": b, "claim": "COLD_CHAIN", "threshold": 3}}, me)
    assert refused_open["data"]["attestationOpen"]["__typename"] == "Forbidden"
    opened = await gql(OPEN, {"i": {"batchId": b, "claim": "COLD_CHAIN", "threshold": 3}}, staff)
    att_id = opened["data"]["attestationOpen"]["documentId"]
    listed = (await gql(LIST, {"b": b}, me))["data"]["attestations"]
    assert (listed["totalCount"], listed["nodes"][0]["state"]) == (1, "COLLECTING")
    message = listed["nodes"][0]["message"]
    stranger = await token_for("supplier", supplier_code=(await _other_supplier()))
    assert (await gql(LIST, {"b": b}, stranger))["data"]["attestations"]["totalCount"] == 0

    def sign_input(party: dict, signature: str) -> dict:
        return {"i": {"attestationId": att_id, "partyId": party["documentId"], "signature": signature}}

    as_inspector = await gql(SIGN, sign_input(insp, insp_key.sign(message)), me)
    assert as_inspector["data"]["attestationSign"]["__typename"] == "NotFound"  # not its party
    wrong = (await gql(SIGN, sign_input(sup, car_key.sign(message)), me))["data"]["attestationSign"]
    assert (wrong["problem"], wrong["path"]) == ("BAD_SIGNATURE", ["signature"])
    garbage = (await gql(SIGN, sign_input(sup, "a0" + "11" * 95), me))["data"]["attestationSign"]
    assert garbage["problem"] == "BAD_POINT"
    assert await AttestationSignature.filter(attestation_id=_pk(att_id)).count() == 0

    revoked_key = new_key()
    gone = await register(gql, staff, "CARRIER", revoked_key, "已撤销的承运商")
    assert (await gql(REVOKE, {"i": {"partyId": gone["documentId"]}}, staff))["data"]["partyRevoke"][
        "__typename"
    ] == "Posted"
    revoked = (await gql(SIGN, sign_input(gone, revoked_key.sign(message)), staff))["data"]["attestationSign"]
    assert revoked["problem"] == "REVOKED_KEY"

    for party, key, token in ((sup, sup_key, me), (insp, insp_key, staff)):
        signed = await gql(SIGN, sign_input(party, key.sign(message)), token)
        assert signed["data"]["attestationSign"]["__typename"] == "Posted"
    assert (await Attestation.get(id=_pk(att_id))).status == "collecting"  # 2 of 3
    assert await _queued(_pk(att_id)) == 0
    await gql(SIGN, sign_input(car, car_key.sign(message)), staff)
    assert (await Attestation.get(id=_pk(att_id))).status == "submitting"
    assert await _queued(_pk(att_id)) == 1

    submitter = Submitter.for_registry(
        cosigning.w3.provider.endpoint_uri, cosigning.address, anvil.DEV_ACCOUNT_KEY
    )
    assert await submitter.sweep() >= 1
    node = (await gql(LIST, {"b": b}, staff))["data"]["attestations"]["nodes"][0]
    assert node["state"] == "RECORDED"
    assert node["txHash"]
    assert {s["party"]["role"] for s in node["signatures"]} == {"SUPPLIER", "INSPECTOR", "CARRIER"}
    on_chain = await cosigning.signers_of(node["txHash"])
    assert sorted(on_chain or []) == sorted(
        bytes.fromhex(p.key_id[2:])
        for p in await Party.filter(public_key__in=[k.public for k in (sup_key, insp_key, car_key)])
    )
    assert await submitter.sweep() == 0  # recorded once


async def test_a_supplier_rotates_its_own_key_and_cannot_revoke_another_party(
    gql: Gql, token_for: TokenFor, unique
) -> None:
    code = await _other_supplier()
    me = await token_for("supplier", supplier_code=code)
    staff = await token_for("warehouse")
    old, new = new_key(), new_key()
    mine = await register(gql, me, "SUPPLIER", old, "自己的钥匙")
    theirs = await register(gql, staff, "INSPECTOR", new_key(), "别人的钥匙")
    denied = await gql(REVOKE, {"i": {"partyId": theirs["documentId"]}}, me)
    assert denied["data"]["partyRevoke"]["__typename"] == "NotFound"
    rotate = {"partyId": mine["documentId"], "publicKey": new.public, "proofOfPossession": new.proof}
    rotated = (await gql(ROTATE, {"i": rotate}, me))["data"]["partyRotateKey"]
    assert rotated["__typename"] == "Posted"
    old_row, new_row = await Party.get(public_key=old.public), await Party.get(public_key=new.public)
    assert (old_row.status, new_row.status, new_row.replaces_id) == ("revoked", "active", old_row.id)
    assert new_row.supplier_id == old_row.supplier_id


async def _other_supplier() -> str:
    from tests import factories as f

    return (await f.make_supplier()).code


def _pk(global_id: str) -> int:
    from strawberry import relay

    return int(relay.GlobalID.from_id(global_id).node_id)


async def _queued(attestation_id: int) -> int:
    rows = await OutboxMessage.filter(topic="attestations.submit").values_list("payload", flat=True)
    return sum(1 for p in rows if p == {"attestation_id": attestation_id})
