"""Issue 17's flow: build a report of near-expiry stock by supplier, save it, run it, export it."""

import base64
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from domain.catalog.services import OrderLineInput
from domain.common import business_time
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code, make_world

SAVE = """mutation($input: SavedReportCreateInput!) { savedReportCreate(input: $input) {
  __typename ... on SavedReport { id name } ... on UserError { message code path } } }"""
RUN = """query($id: ID, $spec: ReportSpecInput, $filters: [ReportFilterInput!]) {
  reportRun(reportId: $id, spec: $spec, filters: $filters) { columns rows } }"""
EXPORT = """query($id: ID!, $format: String!) { reportExport(reportId: $id, format: $format) {
  filename contentType content } }"""


async def _stock(days_left: list[int]) -> tuple[str, str]:
    world = await make_world()
    today = business_time.business_today(datetime.now(UTC))
    posted = await purchasing.purchase_order_create(
        world.supplier_code,
        world.warehouse_code,
        [OrderLineInput(world.sku_code, Decimal(1), "box", Decimal(5)) for _ in days_left],
    )
    await purchasing.purchase_order_confirm(posted.document_id, datetime.now(UTC))
    lines = await PurchaseOrderLine.filter(order_id=posted.document_id).order_by("id")
    await receipts.goods_receipt_post(
        posted.document_id,
        [
            receipts.ReceiptLineInput(
                ln.id, Decimal(1), code("LOT"), world.warehouse_code, expiry_date=today + timedelta(days=d)
            )
            for ln, d in zip(lines, days_left, strict=True)
        ],
        datetime.now(UTC),
    )
    return world.supplier_code, world.sku_code


def _near_expiry(supplier_code: str) -> dict[str, Any]:
    return {
        "fact": "expiry",
        "dimensions": ["supplier_code", "sku_code", "expiry_date"],
        "measures": ["quantity", "lots"],
        "filters": [
            {"field": "expiry_date", "op": "within_days", "values": ["30"]},
            {"field": "supplier_code", "op": "eq", "values": [supplier_code]},
        ],
        "sort": "expiry_date",
    }


async def test_near_expiry_stock_by_supplier_is_saved_shared_run_and_exported(
    gql: Gql, admin: str, token_for: Any
) -> None:
    supplier, sku = await _stock([10, 20, 200])
    today = business_time.business_today(datetime.now(UTC))
    saved = (
        await gql(
            SAVE,
            {
                "input": {
                    "name": "临期库存 near expiry by supplier",
                    "spec": _near_expiry(supplier),
                    "sharedRoles": ["store_manager"],
                }
            },
            token=admin,
        )
    )["data"]["savedReportCreate"]
    assert saved["__typename"] == "SavedReport", saved

    manager = await token_for("store_manager")
    ran = (await gql(RUN, {"id": saved["id"]}, token=manager))["data"]["reportRun"]
    assert ran["columns"] == ["supplier_code", "sku_code", "expiry_date", "quantity", "lots"]
    # 1 box of 12 per lot; the 200-day lot is not near expiry.
    assert ran["rows"] == [
        [supplier, sku, (today + timedelta(days=10)).isoformat(), "12", "1"],
        [supplier, sku, (today + timedelta(days=20)).isoformat(), "12", "1"],
    ]
    narrowed = await gql(
        RUN,
        {
            "id": saved["id"],
            "filters": [
                {"field": "expiry_date", "op": "le", "values": [(today + timedelta(days=15)).isoformat()]}
            ],
        },
        token=manager,
    )
    assert len(narrowed["data"]["reportRun"]["rows"]) == 1

    csv_file = (await gql(EXPORT, {"id": saved["id"], "format": "csv"}, token=manager))["data"][
        "reportExport"
    ]
    assert csv_file["content"].splitlines()[0] == "supplier_code,sku_code,expiry_date,quantity,lots"
    xlsx = (await gql(EXPORT, {"id": saved["id"], "format": "xlsx"}, token=manager))["data"]["reportExport"]
    sheet = load_workbook(io.BytesIO(base64.b64decode(xlsx["content"]))).active
    assert sheet is not None
    assert (sheet.max_row, sheet.cell(2, 4).value) == (3, 12)
    svg = (await gql(EXPORT, {"id": saved["id"], "format": "svg"}, token=manager))["data"]["reportExport"]
    assert svg["content"].startswith("<svg")
    assert svg["content"].count("<rect") == 2


async def test_a_report_not_shared_with_my_role_is_not_found_and_a_supplier_sees_only_its_own_orders(
    gql: Gql, admin: str, token_for: Any
) -> None:
    supplier, _ = await _stock([10])
    other, _ = await _stock([10])
    saved = await gql(SAVE, {"input": {"name": "private", "spec": _near_expiry(supplier)}}, token=admin)
    warehouse = await token_for("warehouse")
    hidden = await gql(RUN, {"id": saved["data"]["savedReportCreate"]["id"]}, token=warehouse)
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    portal = await token_for("supplier", supplier_code=supplier)
    spec = {
        "fact": "purchases",
        "dimensions": ["supplier_code"],
        "measures": ["orders"],
        "filters": [{"field": "supplier_code", "op": "in", "values": [supplier, other]}],
    }
    rows = (await gql(RUN, {"spec": spec}, token=portal))["data"]["reportRun"]["rows"]
    assert rows == [[supplier, "1"]]
    # A LIKE pattern's own wildcards are data: "%" matches no supplier code, the code's middle matches.
    for needle, expected in (("%", []), (supplier[2:-2], [[supplier, "1"]])):
        contains = {**spec, "filters": [{"field": "supplier_code", "op": "contains", "values": [needle]}]}
        found = (await gql(RUN, {"spec": contains}, token=portal))["data"]["reportRun"]["rows"]
        assert found == expected
    journal = await gql(RUN, {"spec": {"fact": "journal", "measures": ["lines"]}}, token=portal)
    assert journal["errors"][0]["extensions"]["code"] == "FORBIDDEN"


UPDATE = """mutation($input: SavedReportUpdateInput!) { savedReportUpdate(input: $input) {
  __typename ... on SavedReport { id name measures sharedRoles } ... on UserError { code path } } }"""
DELETE = """mutation($input: SavedReportDeleteInput!) { savedReportDelete(input: $input) {
  __typename ... on SavedReport { id } ... on UserError { code } } }"""
LIST = "{ savedReports { id name } }"


async def test_only_the_owner_changes_or_deletes_a_report_and_a_bad_measure_names_its_path(
    gql: Gql, token_for: Any
) -> None:
    owner, other = await token_for("finance"), await token_for("finance")
    spec = {"fact": "journal", "dimensions": ["account_code"], "measures": ["debit"]}
    saved = (await gql(SAVE, {"input": {"name": "借方 debits", "spec": spec}}, token=owner))["data"]
    report_id = saved["savedReportCreate"]["id"]

    change = {"reportId": report_id, "name": "借贷 debits and credits", "sharedRoles": ["finance"]}
    change["spec"] = {**spec, "measures": ["debit", "credit"]}
    stranger = (await gql(UPDATE, {"input": change}, token=other))["data"]["savedReportUpdate"]
    assert stranger["code"] == "NOT_FOUND"
    updated = (await gql(UPDATE, {"input": change}, token=owner))["data"]["savedReportUpdate"]
    assert (updated["measures"], updated["sharedRoles"]) == (["debit", "credit"], ["finance"])
    assert report_id in [r["id"] for r in (await gql(LIST, token=other))["data"]["savedReports"]]

    bad = {**change, "spec": {**spec, "measures": ["debit; DROP TABLE sku"]}}
    refused = (await gql(UPDATE, {"input": bad}, token=owner))["data"]["savedReportUpdate"]
    assert (refused["code"], refused["path"]) == ("VALIDATION", ["measures", "0"])
    assert (await gql(DELETE, {"input": {"reportId": report_id}}, token=other))["data"]["savedReportDelete"][
        "code"
    ] == "NOT_FOUND"
    gone = (await gql(DELETE, {"input": {"reportId": report_id}}, token=owner))["data"]["savedReportDelete"]
    assert gone == {"__typename": "SavedReport", "id": report_id}
    assert report_id not in [r["id"] for r in (await gql(LIST, token=owner))["data"]["savedReports"]]
