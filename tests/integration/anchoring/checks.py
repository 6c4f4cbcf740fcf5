"""The final-state invariant every reliability test ends with."""

from chain import verify
from chain.client import AnchorRegistryClient
from domain.anchoring import rules, services
from domain.anchoring.models import Anchor, EventAnchor


async def assert_anchored_exactly_once(event_ids: list[int], registry: AnchorRegistryClient) -> None:
    """Each event in exactly one confirmed anchor of this registry, whose root is on the final chain at the
    recorded block, and whose stored proof verifies against that chain."""
    links = await EventAnchor.filter(event_id__in=event_ids).values("event_id", "anchor_id")
    assert sorted(link["event_id"] for link in links) == sorted(event_ids)  # one link per event, none missing
    for anchor in await Anchor.filter(id__in={link["anchor_id"] for link in links}):
        assert anchor.status == rules.AnchorState.CONFIRMED
        assert anchor.contract == registry.address.lower()
        info = await registry.get_anchor(rules.unhex(anchor.root))
        assert info is not None, f"root {anchor.root} is not on the final chain"
        assert info.block_number == anchor.block_number
        assert info.leaf_count == anchor.leaf_count == await EventAnchor.filter(anchor_id=anchor.id).count()
    statuses = await services.anchor_status_of_events(event_ids)
    assert all(s.anchored for s in statuses.values())
    for event_id in event_ids:
        proof = await services.proof_of(event_id)
        assert proof is not None
        info = await registry.get_anchor(proof.proof_file.root)
        result = verify.verify_proof_file(proof.proof_file, info, proof.canonical.encode())
        assert result.ok, result.reasons
