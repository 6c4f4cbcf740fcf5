"""Which subscribers a new task goes to: its warehouse, its picker (or anyone), a bin in their zones."""

from api.devices.dispatch import Subscriber


def test_a_task_goes_to_its_warehouse_and_picker_or_anyone() -> None:
    sub = Subscriber(warehouse_id=1, user_id=7)
    assert sub.wants(1, None)
    assert sub.wants(1, 7)
    assert not sub.wants(2, None)
    assert not sub.wants(1, 8)


def test_a_zoned_picker_gets_only_tasks_with_a_bin_in_their_zones() -> None:
    sub = Subscriber(warehouse_id=1, user_id=7, zones=("W/A",))
    assert sub.wants(1, None, ["W/B/1", "W/A/2"])
    assert not sub.wants(1, None, ["W/B/1", "W/AB/2"])
    assert sub.wants(1, None, None)  # paths unknown (the embedded database's poller): not filtered
    assert Subscriber(warehouse_id=1, user_id=7).wants(1, None, ["W/B/1"])  # unbound: everywhere
