"""A phone scanning a label sees the product, the verdict and each step's anchoring, rendered by Chromium."""

from html.parser import HTMLParser

from domain.provenance import services
from tests.e2e.browser.conftest import PHONE, run_chromium
from tests.integration.provenance.conftest import make_story


class _Text(HTMLParser):
    """The text of the element with a given id (and its descendants)."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id, self.depth = element_id, 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth or dict(attrs).get("id") == self.element_id:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str, element_id: str) -> str:
        parser = cls(element_id)
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


async def test_the_provenance_page_renders_product_verdict_and_anchoring_on_a_phone(
    db, server, chromium, tmp_path
):
    story = await make_story()
    code = await services.public_code_for(story.lot.batch_id)
    url = f"{server}/p/{code}"

    dom = await run_chromium(chromium, tmp_path / "profile-dom", "--dump-dom", url)
    screenshot = tmp_path / "provenance-phone.png"
    await run_chromium(chromium, tmp_path / "profile-shot", PHONE, f"--screenshot={screenshot}", url)

    assert "高原蓝莓" in _Text.of(dom, "product")
    assert "Highland blueberries" in _Text.of(dom, "product")
    assert _Text.of(dom, "verdict") == "合格 passed"
    path = _Text.of(dom, "path")
    assert path.count("尚未上链 not yet anchored") == 5
    assert "发往门店 shipped to store" in path
    assert [s for s in story.secrets if s in dom] == []
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    print(f"screenshot: {screenshot}")


async def test_an_unknown_code_renders_the_bilingual_404_page(server, chromium, tmp_path):
    dom = await run_chromium(chromium, tmp_path / "profile", "--dump-dom", f"{server}/p/AAAAAAAAAAAAAAAA")

    assert "未找到该批次" in dom
    assert "No batch has this code" in dom
