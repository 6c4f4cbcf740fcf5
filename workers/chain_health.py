"""What the anchoring worker last saw of its chain, logged once per change instead of once per round.

States: ``up`` (node answers, the registry's code is at the configured address), ``down`` (the node cannot
be reached, times out or answers with errors), ``missing`` (the node answers but the code at the address is
not our AnchorRegistry: a wrong address or chain, or a dev chain that lost its state). A worker ticking every
two seconds against a dead node writes one warning when it goes down and one line when it is back, not a
traceback per tick; the round result still says ``chain_unavailable`` every time.
"""

import logging
from enum import StrEnum


class ChainState(StrEnum):
    UNKNOWN = "unknown"  # nothing seen yet
    UP = "up"
    DOWN = "down"
    MISSING = "missing"


class ChainHealth:
    """Tracks the state; ``observe`` logs a line only when the state differs from the last one seen."""

    def __init__(self, url: str, address: str, log: logging.Logger) -> None:
        self.url = url
        self.address = address
        self.log = log
        self.state = ChainState.UNKNOWN

    def observe(self, state: ChainState, detail: str = "", chain_id: int | None = None) -> bool:
        """Records ``state``; logs and returns True when it changed."""
        previous, self.state = self.state, state
        if state is previous:
            return False
        where = f"{self.address} on chain {chain_id}" if chain_id is not None else self.address
        if state is ChainState.DOWN:
            self.log.warning(
                "链节点不可达，事件暂不上链 / chain node unreachable at %s, events stay pending: %s",
                self.url,
                detail,
            )
        elif state is ChainState.MISSING:
            self.log.error(
                "配置地址没有 AnchorRegistry 合约，暂停上链 / no AnchorRegistry at %s (%s): anchoring "
                "paused until it is deployed there or LOTLINE_CHAIN_CONTRACT_ADDRESS is fixed",
                self.address,
                detail,
            )
        elif previous is ChainState.DOWN:
            self.log.info("链节点已恢复 / chain node reachable again at %s (%s)", self.url, where)
        elif previous is ChainState.MISSING:
            self.log.info("AnchorRegistry 合约已就绪 / AnchorRegistry present at %s", where)
        else:
            self.log.info("上链至 / anchoring to AnchorRegistry %s via %s", where, self.url)
        return True
