"""The vendored signing library is what its SHA256SUMS pins (noble-curves / noble-hashes 2.4.0, unchanged),
and every module it imports is shipped (the portal has no build step to catch a missing one)."""

import hashlib
import re
from pathlib import Path

from supplier_portal import portal_attest

STATIC = Path(portal_attest.__file__).parent / "static" / "portal"


def test_every_vendored_file_matches_its_pinned_sha256() -> None:
    lines = (STATIC / "vendor" / "SHA256SUMS").read_text().splitlines()
    pinned = {path: digest for digest, path in (line.split("  ", 1) for line in lines)}
    shipped = {str(p.relative_to(STATIC)) for p in (STATIC / "vendor").rglob("*.js")}
    assert set(pinned) == shipped
    changed = [p for p, d in pinned.items() if hashlib.sha256((STATIC / p).read_bytes()).hexdigest() != d]
    assert changed == []


def test_every_import_of_the_signing_module_resolves_to_a_shipped_file() -> None:
    prefixes = {
        "@noble/curves/": STATIC / "vendor" / "noble-curves-2.4.0",
        "@noble/hashes/": STATIC / "vendor" / "noble-hashes-2.4.0",
    }
    missing = []
    for module in [STATIC / "attest.js", *(STATIC / "vendor").rglob("*.js")]:
        for spec in re.findall(r"^(?:import|export)[^;]*?from\s+'([^']+)'", module.read_text(), re.M | re.S):
            prefix = next((p for p in prefixes if spec.startswith(p)), None)
            target = prefixes[prefix] / spec[len(prefix) :] if prefix else (module.parent / spec).resolve()
            if not target.is_file():
                missing.append(f"{module.name}: {spec}")
    assert missing == []
    assert all(f"/portal/static/vendor/{p.name}/" in portal_attest.IMPORT_MAP for p in prefixes.values())
