"""Whatever a device sends, each operation comes back applied or held as an exception: a malformed payload
never fails the batch (the device would resend it forever) and never changes the books."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.devices import sync
from domain.devices.models import DeviceOperation
from domain.inventory.models import StockMove
from domain.partners import services as partners
from tests import factories as f

pytestmark = pytest.mark.usefixtures("db")

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.text(max_size=300),
    st.sampled_from(["1", "-1", "1.5", "NaN", "Infinity", "1e9999", "", "2030-13-45", "0"]),
    st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
FIELDS = [
    "lineId", "binCode", "toBinCode", "lotCode", "skuCode", "quantity", "orderLineId", "asnLineId",
    "countId", "waveId", "lineIds", "expiryDate", "bestBeforeDate", "productionDate", "gtin", "unit",
    "status", "reason",
]  # fmt: skip
payloads = st.dictionaries(st.sampled_from(FIELDS), junk, max_size=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from((*sync.KINDS, "nonsense")), payloads), min_size=1, max_size=6))
async def test_any_payload_is_applied_or_held_never_a_failed_batch(ops) -> None:
    wh = await f.make_warehouse()
    principal = await partners.create_user(f.code("p").lower(), "correct-horse-battery", "warehouse")
    device = await sync.device_register(f.code("HH"), wh.code, principal.user_id)
    moves = await StockMove.all().count()
    batch = [sync.OperationInput(i + 1, kind, payload) for i, (kind, payload) in enumerate(ops)]
    results = await sync.operations_push(device, batch, f.NOW)
    assert [r.status for r in results] == ["exception"] * len(ops)  # nothing there to apply to
    assert all(r.code for r in results)
    assert await DeviceOperation.filter(device_id=device.id, status="exception").count() == len(ops)
    assert await StockMove.all().count() == moves


@pytest.mark.parametrize("text", ["lot\x00code", "\ud800", "ok"])
async def test_a_payload_postgresql_cannot_store_is_held_as_malformed_and_recorded(text: str) -> None:
    wh = await f.make_warehouse()
    principal = await partners.create_user(f.code("p").lower(), "correct-horse-battery", "warehouse")
    device = await sync.device_register(f.code("HH"), wh.code, principal.user_id)
    [result] = await sync.operations_push(
        device, [sync.OperationInput(1, "move", {"lotCode": text, text: 1})], f.NOW
    )
    assert result.status == "exception"
    stored = await DeviceOperation.get(device_id=device.id, sequence=1)
    assert stored.status == "exception"
    if text != "ok":  # NUL and unpaired surrogates: refused for what they are, kept readable
        assert result.code == "VALIDATION"
        assert "NUL" in (result.reason or "")
        assert "\x00" not in str(stored.payload)
