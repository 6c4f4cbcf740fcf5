"""Edge rules: one set of vectors, the server's Python and the handheld's JavaScript, identical findings."""

import json
import shutil
import subprocess
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.devices import rules

ROOT = Path(__file__).parents[3]
VECTORS = json.loads((ROOT / "tests" / "data" / "edge_rules.json").read_text())["vectors"]
RULES_JS = ROOT / "supplier_portal" / "static" / "handheld" / "rules.js"


def python_findings(scan: dict, context: dict, config: dict | None) -> list[dict]:
    ctx = dict(context)
    ctx["today"] = date.fromisoformat(ctx["today"])
    if ctx.get("expiry_date"):
        ctx["expiry_date"] = date.fromisoformat(ctx["expiry_date"])
    ctx["bin_lots"] = tuple(ctx.get("bin_lots", ()))
    ctx["zones"] = tuple(ctx.get("zones", ()))
    found = rules.evaluate(rules.Scan(**scan), rules.Context(**ctx), config)
    return [{**asdict(f), "severity": f.severity.value} for f in found]


def js_findings(cases: list[dict]) -> list[list[dict]]:
    node = shutil.which("node")
    assert node, "node is required (the handheld's rules are JavaScript)"
    script = (
        f"const r = require({json.dumps(str(RULES_JS))});"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(cases.map(c => r.evaluate(c.scan, c.context, c.config))));"
    )
    out = subprocess.run(
        [node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_python_rules_give_the_vectors_findings(vector: dict) -> None:
    got = python_findings(vector["scan"], vector["context"], vector["config"])
    assert [f["code"] for f in got] == vector["expected"]


def test_javascript_rules_give_exactly_the_python_findings_messages_included() -> None:
    assert js_findings(VECTORS) == [python_findings(v["scan"], v["context"], v["config"]) for v in VECTORS]


contexts = st.fixed_dictionaries(
    {
        "today": st.dates(date(2026, 1, 1), date(2027, 12, 31)).map(date.isoformat),
        "expected_bin": st.one_of(st.none(), st.sampled_from(["A", "B"])),
        "expected_sku": st.one_of(st.none(), st.sampled_from(["S1", "S2"])),
        "expected_lot": st.one_of(st.none(), st.sampled_from(["L1", "L2"])),
        "batch_status": st.sampled_from(["available", "quarantine", "blocked", "expired"]),
        "expiry_date": st.one_of(
            st.none(), st.dates(date(2025, 12, 1), date(2028, 1, 31)).map(date.isoformat)
        ),
        "bin_frozen": st.booleans(),
        "bin_lots": st.lists(st.sampled_from(["L1", "L2", "L3"]), max_size=3),
        "operation": st.sampled_from(rules.OPERATIONS),
        "zones": st.lists(st.sampled_from(["W/A", "W/A/", "W/B", "W/A/A", "W"]), max_size=2),
        "bin_path": st.one_of(st.none(), st.sampled_from(["W/A/A", "W/AB/1", "W/B/B", "W/A"])),
        "to_bin_path": st.one_of(st.none(), st.sampled_from(["W/A/A", "W/B/B", "W/C/1"])),
        "to_bin_frozen": st.booleans(),
    }
)
scans = st.fixed_dictionaries(
    {
        "bin_code": st.sampled_from(["A", "B"]),
        "sku_code": st.sampled_from(["S1", "S2"]),
        "lot_code": st.sampled_from(["L1", "L2"]),
        "quantity": st.just("1"),
        "to_bin_code": st.one_of(st.none(), st.sampled_from(["A", "B"])),
    }
)


configs = st.one_of(st.none(), st.builds(dict, near_expiry_days=st.integers(0, 30)))


@settings(max_examples=25, deadline=None)  # each example starts node once for up to 40 scans
@given(st.lists(st.tuples(scans, contexts, configs), min_size=1, max_size=40))
def test_both_implementations_agree_on_random_scans(cases) -> None:
    payload = [{"scan": s, "context": c, "config": cfg} for s, c, cfg in cases]
    assert js_findings(payload) == [python_findings(s, c, cfg) for s, c, cfg in cases]


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["W", "W/A", "W/A/", "W/B"]), max_size=3), st.sampled_from(["W/A/1", "W/AB"]))
def test_a_path_in_a_zone_is_the_zone_or_below_it_never_a_sibling_sharing_its_letters(zones, path) -> None:
    expected = not zones or any(
        path.split("/")[: len(z.strip("/").split("/"))] == z.strip("/").split("/") for z in zones
    )
    assert rules.in_zones(path, tuple(zones)) is expected


@settings(max_examples=200)
@given(scans, contexts)
def test_a_count_never_warns_about_dates_and_a_receive_never_about_the_lot_status(scan, context) -> None:
    codes = {f["code"] for f in python_findings(scan, context, None)}
    if context["operation"] == "count":
        assert codes.isdisjoint({"EXPIRED", "NEAR_EXPIRY", "NOT_AVAILABLE", "FROZEN_BIN", "MIXED_LOTS"})
        assert ("NOT_COUNTING" in codes) is (not context["bin_frozen"])
    if context["operation"] == "receive":
        assert "NOT_AVAILABLE" not in codes
