"""A newcomer finds a lot by the code printed on the box and reaches its public page and label in GraphQL."""

from decimal import Decimal

import httpx

from domain.provenance import services as provenance
from tests import factories
from tests.e2e.api.conftest import Gql

BATCHES = """query($lot: String, $search: String) {
  batches(lotCode: $lot, search: $search) {
    totalCount
    nodes { lotCode publicCode provenanceUrl labelSvgUrl labelPngUrl sku { code } }
  }
}"""


async def _lot(lot_code: str | None = None) -> factories.ReceivedLot:
    wh, supplier, sku = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_sku(),
    )
    return await factories.receive(sku, wh, supplier, Decimal(5), lot_code=lot_code)


async def test_a_lot_code_finds_its_batch_with_its_public_code_page_and_labels(
    gql: Gql, admin: str, client: httpx.AsyncClient
) -> None:
    lot = await _lot()

    body = await gql(BATCHES, {"lot": lot.lot_code}, token=admin)

    [batch] = body["data"]["batches"]["nodes"]
    code = batch["publicCode"]
    assert code == await provenance.public_code_for(lot.batch_id)  # the same code the label and CLI use
    assert batch["provenanceUrl"] == f"http://test/p/{code}"
    assert batch["labelSvgUrl"] == f"http://test/p/{code}/label.svg"
    assert batch["labelPngUrl"] == f"http://test/p/{code}/label.png"
    page = await client.get(batch["provenanceUrl"])
    svg = await client.get(batch["labelSvgUrl"])
    png = await client.get(batch["labelPngUrl"])
    assert (page.status_code, svg.status_code, png.status_code) == (200, 200, 200)
    assert lot.lot_code in page.text
    assert svg.headers["content-type"] == "image/svg+xml"
    assert png.content.startswith(b"\x89PNG")


async def test_the_public_code_is_issued_once_and_kept(gql: Gql, admin: str) -> None:
    lot = await _lot()

    first = await gql(BATCHES, {"lot": lot.lot_code}, token=admin)
    second = await gql(BATCHES, {"lot": lot.lot_code}, token=admin)

    assert (
        first["data"]["batches"]["nodes"][0]["publicCode"]
        == second["data"]["batches"]["nodes"][0]["publicCode"]
    )


async def test_the_lot_code_is_matched_as_typed_from_the_box(gql: Gql, admin: str) -> None:
    lot = await _lot()
    typed = f"  {lot.lot_code.lower()} "

    body = await gql(BATCHES, {"lot": typed}, token=admin)

    assert [b["lotCode"] for b in body["data"]["batches"]["nodes"]] == [lot.lot_code]


async def test_a_lot_code_matches_only_that_lot(gql: Gql, admin: str) -> None:
    lot = await _lot()
    await _lot()

    body = await gql(BATCHES, {"lot": lot.lot_code[:-1]}, token=admin)

    assert body["data"]["batches"] == {"totalCount": 0, "nodes": []}


async def test_search_finds_a_lot_by_part_of_its_code_or_by_its_public_code_as_scanned(
    gql: Gql, admin: str
) -> None:
    lot = await _lot()
    public = await provenance.public_code_for(lot.batch_id)
    scanned = f"{public[:4].lower()}-{public[4:8]} {public[8:]}"

    by_part = await gql(BATCHES, {"search": lot.lot_code[-6:].lower()}, token=admin)
    by_public = await gql(BATCHES, {"search": scanned}, token=admin)

    assert [b["lotCode"] for b in by_part["data"]["batches"]["nodes"]] == [lot.lot_code]
    assert [b["lotCode"] for b in by_public["data"]["batches"]["nodes"]] == [lot.lot_code]


async def test_search_by_sku_code_finds_its_lots(gql: Gql, admin: str) -> None:
    lot = await _lot()
    sku_code = (await gql(BATCHES, {"lot": lot.lot_code}, token=admin))["data"]["batches"]["nodes"][0]["sku"][
        "code"
    ]

    body = await gql(BATCHES, {"search": sku_code}, token=admin)

    assert [b["lotCode"] for b in body["data"]["batches"]["nodes"]] == [lot.lot_code]
