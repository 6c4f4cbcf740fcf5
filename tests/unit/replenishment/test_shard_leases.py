"""The shard lease rule: whatever order claims arrive in, two owners never hold a live lease at once, and an
owner is refused only while another's lease is live."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.replenishment.forecast_resume import lease_free

T0 = datetime(2026, 1, 1, tzinfo=UTC)
LEASE = timedelta(seconds=60)
claims = st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 200)), max_size=40)


@given(claims)
def test_no_two_owners_hold_a_live_lease_at_once(steps: list[tuple[str, int]]) -> None:
    held: dict[str, str] | None = None
    clock = T0
    for owner, wait in steps:
        clock += timedelta(seconds=wait)
        live_other = (
            held is not None and held["owner"] != owner and datetime.fromisoformat(held["until"]) > clock
        )
        granted = lease_free(held, owner, clock)
        assert granted is not live_other
        if granted:
            held = {"owner": owner, "until": (clock + LEASE).isoformat()}


def test_a_lease_is_free_exactly_when_it_expires() -> None:
    held = {"owner": "a", "until": (T0 + LEASE).isoformat()}
    assert not lease_free(held, "b", T0 + LEASE - timedelta(microseconds=1))
    assert lease_free(held, "b", T0 + LEASE)
    assert lease_free(held, "a", T0)
    assert lease_free(None, "b", T0)
