import hashlib

from chain import merkle
from domain.anchoring import rules


def _leaves(n: int) -> list[rules.PendingLeaf]:
    return [rules.PendingLeaf(i + 1, hashlib.sha256(str(i).encode()).hexdigest()) for i in range(n)]


def test_every_planned_proof_leads_from_its_event_to_the_root():
    plan = rules.plan_anchor(_leaves(7))
    assert plan.leaf_count == 7
    for leaf, proof in zip(_leaves(7), plan.proofs, strict=True):
        computed = merkle.process_proof(
            merkle.leaf_hash(bytes.fromhex(leaf.event_hash)), [rules.unhex(p) for p in proof.proof]
        )
        assert rules.hex0x(computed) == plan.root


def test_anchor_when_enough_events_wait_or_the_oldest_waited_long_enough():
    assert not rules.should_anchor(0, 999, min_events=1, max_wait_seconds=0)
    assert rules.should_anchor(500, 0, min_events=500, max_wait_seconds=10)
    assert rules.should_anchor(1, 10, min_events=500, max_wait_seconds=10)
    assert not rules.should_anchor(499, 9.9, min_events=500, max_wait_seconds=10)


def test_a_chain_read_is_judged_drop_move_wait_or_confirm():
    assert rules.judge_on_chain(10, None, 12, 1) is rules.ChainVerdict.DROPPED
    assert rules.judge_on_chain(10, 11, 12, 1) is rules.ChainVerdict.MOVED
    assert rules.judge_on_chain(10, 10, 11, 3) is rules.ChainVerdict.WAIT
    assert rules.judge_on_chain(10, 10, 12, 3) is rules.ChainVerdict.CONFIRM


def test_audit_names_the_event_whose_record_changed():
    canon = [f'{{"n":{i}}}' for i in range(5)]
    plan = rules.plan_anchor(
        [rules.PendingLeaf(i, rules.event_hash_of_canonical(c)) for i, c in enumerate(canon)]
    )
    events = [rules.AuditedEvent(p.event_pk, p.leaf_index, canon[p.event_pk], p.proof) for p in plan.proofs]
    assert rules.audit_anchor(plan.root, 5, events) == rules.AuditFinding(plan.root, True, ())
    events[3] = rules.AuditedEvent(3, 3, '{"n":33}', events[3].proof)
    finding = rules.audit_anchor(plan.root, 5, events)
    assert (finding.root_matches, finding.changed_events) == (False, (3,))
