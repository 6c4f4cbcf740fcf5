"""The ASN form shows the ASN's custom fields (labels zh + en) and stores them, checked like the API's."""

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from domain.asn.models import AdvanceShippingNotice
from domain.common import business_time
from domain.customfields import services as custom_fields
from domain.customfields.models import CustomFieldDefinition
from domain.customfields.rules import Entity, FieldDef, Kind
from tests.e2e.portal.conftest import Browser, PortalStory

TOMORROW = (datetime.now(business_time.zone()) + timedelta(days=1)).date().isoformat()


@pytest.fixture
async def asn_fields(db: object) -> AsyncIterator[tuple[str, str]]:
    suffix = uuid.uuid4().hex[:6].upper()
    exempt, grade = f"taxExempt{suffix}", f"grade{suffix}"
    await custom_fields.definition_save(
        Entity.ASN, FieldDef(exempt, Kind.BOOLEAN, "免税商品", "Tax-exempt goods")
    )
    await custom_fields.definition_save(
        Entity.ASN, FieldDef(grade, Kind.ENUM, "等级", "Grade", required=True, choices=("A", "B"))
    )
    yield exempt, grade
    # A required ASN field left active would refuse every other test's ASN.
    await CustomFieldDefinition.filter(entity="asn", key__in=[exempt, grade]).update(active=False)


async def test_the_asn_form_asks_for_the_custom_fields_and_stores_them(
    browser: Browser, ps: PortalStory, asn_fields: tuple[str, str]
) -> None:
    exempt, grade = asn_fields
    s = ps.story
    await browser.sign_in(ps.username)
    url = f"/portal/orders/{s.order_id}/asn"
    lot = {
        "rows": "1",
        "arrival_date": TOMORROW,
        "row-0-line": str(s.line_ids[0]),
        "row-0-lot": "CF-1",
        "row-0-qty": "2",
    }

    page = await browser.get(url)
    missing = await browser.submit(url, url, {**lot, f"cf-{exempt}": "on"})
    sent = await browser.submit(url, url, {**lot, f"cf-{exempt}": "on", f"cf-{grade}": "A"})

    assert '免税商品 <span class="en">Tax-exempt goods</span>' in page.text
    assert f'name="cf-{grade}"' in page.text
    assert missing.status_code == 422
    assert f"等级 Grade：{grade} is required" in missing.text
    assert f'id="cf-{exempt}" name="cf-{exempt}" type="checkbox" checked' in missing.text  # kept as typed
    assert sent.status_code == 303, sent.text
    asn = await AdvanceShippingNotice.get(id=int(sent.headers["location"].rsplit("/", 1)[1]))
    assert asn.custom == {exempt: True, grade: "A"}
