"""Waves, zones and scanned operations over GraphQL: typed errors and per-operation codes, never an
internal error; a supervisor binds zones, a picker may not."""

from decimal import Decimal

import httpx
from strawberry import relay

from domain.devices import sync
from domain.inventory.models import Location
from domain.partners import services as partners
from tests import factories as f

WAVE = """mutation($i: PickWaveCreateInput!) { pickWaveCreate(input: $i) { __typename
  ... on Posted { number documentId } ... on UserError { code message } } }"""
READ = """query($id: ID!) { pickWave(id: $id) { number status orderNumbers
  stops { binCode skuCode lotCode quantity lineIds } } }"""
ZONES = """mutation($i: PickerZonesSetInput!) { pickerZonesSet(input: $i) { __typename
  ... on PickerZonesPayload { zones } ... on UserError { code } } }"""
SYNC = """mutation($i: DeviceSyncInput!) { deviceSync(input: $i) { __typename
  ... on DeviceSyncPayload { results { sequence status code reason } } } }"""
PULL = """query($d: String!) {
  devicePull(deviceId: $d) { zones bins { code path frozen } counts { number } } }"""


async def gql(server: str, token: str, query: str, variables: dict) -> dict:
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"http://{server}/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
        )
    body = r.json()
    assert "errors" not in body, body
    return body["data"]


async def user(role: str) -> tuple[int, str, str]:
    name = f.code(role[:2]).lower()
    p = await partners.create_user(name, "correct-horse-battery", role)
    return p.user_id, await partners.issue_token(p.user_id), name


async def test_a_wave_over_graphql_walks_in_bin_order_and_its_stops_sync_to_shipments(ws_server: str) -> None:
    wh, sku, supplier = await f.make_warehouse(("B", "A")), await f.make_sku(), await f.make_supplier()
    await f.receive(sku, wh, supplier, Decimal(3), expiry_date=f.days(5), location_code=wh.bins[0])
    await f.receive(sku, wh, supplier, Decimal(9), expiry_date=f.days(9), location_code=wh.bins[1])
    customer = await f.make_customer()
    orders = [await f.make_sales_order(customer, wh, sku, Decimal(q)) for q in (2, 4)]
    picker_id, token, _ = await user("warehouse")
    ids = [str(relay.GlobalID("SalesOrder", str(o.id))) for o in orders]
    made = (await gql(ws_server, token, WAVE, {"i": {"salesOrderIds": ids}}))["pickWaveCreate"]
    assert made["__typename"] == "Posted"
    again = (await gql(ws_server, token, WAVE, {"i": {"salesOrderIds": ids}}))["pickWaveCreate"]
    assert (again["__typename"], again["code"]) == ("Conflict", "CONFLICT")  # already being picked
    wave = (await gql(ws_server, token, READ, {"id": made["documentId"]}))["pickWave"]
    # Walking order: bin …/A (4 of the later lot, for the second order) before …/B (3 of the FEFO lot).
    assert [(s["binCode"], s["quantity"]) for s in wave["stops"]] == [(wh.bins[1], "3"), (wh.bins[0], "3")]
    device = await sync.device_register(f.code("HH"), wh.code, picker_id)
    wave_id = int(relay.GlobalID.from_id(made["documentId"]).node_id)
    ops = [
        {
            "sequence": n + 1,
            "kind": "wave_pick",
            "payload": {
                "waveId": wave_id,
                "lineIds": s["lineIds"],
                "binCode": s["binCode"],
                "lotCode": s["lotCode"],
                "quantity": s["quantity"],
            },
        }
        for n, s in enumerate(wave["stops"])
    ]
    done = await gql(ws_server, token, SYNC, {"i": {"deviceId": device.code, "operations": ops}})
    assert [r["status"] for r in done["deviceSync"]["results"]] == ["applied", "applied"]
    after = (await gql(ws_server, token, READ, {"id": made["documentId"]}))["pickWave"]
    assert (after["status"], after["stops"], len(after["orderNumbers"])) == ("posted", [], 2)


async def test_zones_are_set_by_a_supervisor_and_refuse_a_pickers_move_elsewhere(ws_server: str) -> None:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal(5), location_code=wh.bins[1])
    picker_id, picker, name = await user("warehouse")
    _, boss, _ = await user("admin")
    device = await sync.device_register(f.code("HH"), wh.code, picker_id)
    zone = (await Location.get(code=wh.bins[0])).path
    bind = {"i": {"username": name, "warehouseCode": wh.code, "zones": [zone]}}
    denied = await gql(ws_server, picker, ZONES, {"i": {**bind["i"], "zones": []}})
    assert denied["pickerZonesSet"] == {"__typename": "Forbidden", "code": "FORBIDDEN"}  # not their own
    bound = await gql(ws_server, boss, ZONES, bind)
    assert bound["pickerZonesSet"] == {"__typename": "PickerZonesPayload", "zones": [zone]}
    pulled = (await gql(ws_server, picker, PULL, {"d": device.code}))["devicePull"]
    assert pulled["zones"] == [zone]
    assert {b["code"] for b in pulled["bins"]} >= set(wh.bins)
    move = {
        "binCode": wh.bins[1],
        "toBinCode": wh.bins[0],
        "skuCode": sku.code,
        "lotCode": lot.lot_code,
        "quantity": "1",
    }
    done = await gql(
        ws_server,
        picker,
        SYNC,
        {"i": {"deviceId": device.code, "operations": [{"sequence": 1, "kind": "move", "payload": move}]}},
    )
    [result] = done["deviceSync"]["results"]
    assert (result["status"], result["code"]) == ("exception", "OUT_OF_ZONE")
    # A new device id is no way out: the binding is the picker's.
    other = await sync.device_register(f.code("HH"), wh.code, picker_id)
    done = await gql(
        ws_server,
        picker,
        SYNC,
        {"i": {"deviceId": other.code, "operations": [{"sequence": 1, "kind": "move", "payload": move}]}},
    )
    assert done["deviceSync"]["results"][0]["code"] == "OUT_OF_ZONE"
    assert await f.on_hand(sku, wh.bins[1]) == Decimal(5)
