#!/usr/bin/env bash
# Runs every check even when an earlier one fails, prints a summary and fails if any failed:
# one run shows everything that is wrong, and nothing is hidden.
#   scripts/check.sh lint    ruff check, ruff format --check, mypy, lint-imports
#   scripts/check.sh all     the same, then pytest (extra arguments go to pytest)
set -uo pipefail
cd "$(dirname "$0")/.."

BIN="${VENV:-.venv}/bin"
mode="${1:-all}"
shift || true

failed=()
passed=()
step() {
  local name=$1
  shift
  printf '\n==> %s\n' "$name"
  if "$@"; then passed+=("$name"); else failed+=("$name"); fi
}

step "ruff check" "$BIN/ruff" check .
step "ruff format --check" "$BIN/ruff" format --check .
step "mypy" "$BIN/mypy" lotline api domain chain workers supplier_portal bench
step "lint-imports" "$BIN/lint-imports"
if [[ "$mode" == all ]]; then
  step "pytest" "$BIN/pytest" -p no:cacheprovider "$@"
fi

printf '\n==> summary\n'
for name in "${passed[@]}"; do printf '  ok      %s\n' "$name"; done
for name in "${failed[@]}"; do printf '  FAILED  %s\n' "$name"; done
[[ ${#failed[@]} -eq 0 ]]
