#!/usr/bin/env bash
# Makes sure Debian's Chromium (and a CJK font, so screenshots show the Chinese text) is installed for the
# browser tests: Playwright drives /usr/bin/chromium through `executable_path`; `playwright install` is never
# run (browser downloads are not possible here). Idempotent: when both are present it only checks.
set -euo pipefail

say() { printf '[chromium] %s\n' "$*"; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
if [[ ${#missing[@]} -eq 0 ]]; then
  say "ok: $(chromium --version 2>/dev/null || echo chromium)"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || { echo "[chromium] ERROR: install ${missing[*]} (no apt-get here)" >&2; exit 1; }
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "[chromium] ERROR: installing ${missing[*]} needs root or sudo" >&2; exit 1; }
  SUDO="sudo"
fi
say "apt-get install ${missing[*]}"
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
say "ok: $(chromium --version 2>/dev/null || echo chromium)"
