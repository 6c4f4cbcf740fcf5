"""ChainHealth writes one line per change of state, whatever the number of rounds."""

import logging

import pytest

from workers.chain_health import ChainHealth, ChainState

LOG = logging.getLogger("tests.chain_health")


def test_each_state_is_logged_once_until_it_changes(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger=LOG.name)
    health = ChainHealth("http://127.0.0.1:1", "0xabc", LOG)
    seen = [ChainState.MISSING] * 3 + [ChainState.UP] * 2 + [ChainState.DOWN] * 5 + [ChainState.UP]

    changed = [health.observe(state, "detail", chain_id=7) for state in seen]

    assert changed == [True, False, False, True, False, True, False, False, False, False, True]
    assert [(r.levelname, r.getMessage().split(" / ")[1][:30]) for r in caplog.records] == [
        ("ERROR", "no AnchorRegistry at 0xabc (de"),
        ("INFO", "AnchorRegistry present at 0xab"),
        ("WARNING", "chain node unreachable at http"),
        ("INFO", "chain node reachable again at "),
    ]


def test_the_first_sight_of_a_working_chain_says_where_it_anchors(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger=LOG.name)

    ChainHealth("http://node", "0xabc", LOG).observe(ChainState.UP, chain_id=31337)

    assert [r.getMessage() for r in caplog.records] == [
        "上链至 / anchoring to AnchorRegistry 0xabc on chain 31337 via http://node"
    ]
