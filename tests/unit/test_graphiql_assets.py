"""The vendored GraphiQL page loads only its own pinned files, each with the SHA-384 it was pinned at."""

import base64
import hashlib
import re
from pathlib import Path

from api import graphiql

ASSET = re.compile(r'(?:src|href)="(/graphiql/[^"]+)" integrity="(sha384-[^"]+)"')


def test_every_script_and_stylesheet_is_local_and_matches_its_integrity_hash() -> None:
    page = graphiql.page()
    assets = ASSET.findall(page)

    assert len(assets) == 6
    for url, integrity in assets:
        data = (graphiql.ASSETS / Path(url).name).read_bytes()
        assert integrity == "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode(), url


def test_the_page_names_no_other_origin() -> None:
    page = graphiql.page()

    assert re.findall(r"(?:src|href)=\"(?!/graphiql/|data:)[^\"]*\"", page) == []
    assert "unpkg" not in page
    assert "jsdelivr" not in page
    assert "http" not in page.split("<script>")[0]


def test_the_readme_pins_the_versions_the_refresh_script_fetches() -> None:
    readme = (graphiql.ASSETS / "README.md").read_text(encoding="utf-8")
    script = (Path(__file__).resolve().parents[2] / "scripts" / "refresh-graphiql.sh").read_text()

    for name, version in re.findall(r"^(REACT|GRAPHIQL|EXPLORER)=(\S+)$", script, re.MULTILINE):
        assert f"| {version} |" in readme, name
