#!/usr/bin/env bash
# Makes sure the test PostgreSQL and Redis answer; starts them (installing the Debian packages first if
# needed) when they are local and down. Idempotent: when both already answer it only checks.
#
#   LOTLINE_TEST_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/test  (trust auth)
#   LOTLINE_TEST_REDIS_URL     default redis://127.0.0.1:6379/15
set -euo pipefail

DB_URL="${LOTLINE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
REDIS_URL="${LOTLINE_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"

say() { printf '[services] %s\n' "$*"; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# Split a URL into host, port, user and path with Python (any python3 will do: we need 3.11+ anyway).
read -r PG_HOST PG_PORT PG_USER PG_DB < <(python3 - "$DB_URL" <<'PY'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or 5432, u.username or "postgres", (u.path or "/test").lstrip("/") or "test")
PY
)
read -r REDIS_HOST REDIS_PORT < <(python3 - "$REDIS_URL" <<'PY'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or 6379)
PY
)

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
is_local() { [[ "$1" == 127.0.0.1 || "$1" == localhost || "$1" == ::1 ]]; }

wait_port() {
  local host=$1 port=$2 what=$3
  for _ in $(seq 1 60); do
    port_open "$host" "$port" && return 0
    sleep 0.5
  done
  die "$what did not come up on $host:$port"
}

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi
APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "cannot install $* here (no apt-get); start the service yourself"
  if [[ $(id -u) -ne 0 && -z "$SUDO" ]]; then die "installing $* needs root or sudo"; fi
  if [[ $APT_UPDATED -eq 0 ]]; then
    say "apt-get update"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

psql_as() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -X -q -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------- PostgreSQL
ensure_postgres() {
  if ! port_open "$PG_HOST" "$PG_PORT"; then
    is_local "$PG_HOST" || die "PostgreSQL at $PG_HOST:$PG_PORT is not reachable (and not local: not starting it)"
    command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql postgresql-client
    local version
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$version" ]]; then
      version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
      say "creating cluster $version/main"
      $SUDO pg_createcluster "$version" main -p "$PG_PORT" >/dev/null
    fi
    if [[ ! -d "/etc/postgresql/$version/main" ]]; then
      say "creating cluster $version/main"
      $SUDO pg_createcluster "$version" main -p "$PG_PORT" >/dev/null
    fi
    say "starting PostgreSQL $version/main"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_port "$PG_HOST" "$PG_PORT" PostgreSQL
  fi
  command -v psql >/dev/null 2>&1 || apt_install postgresql-client

  # A fresh Debian cluster asks for a password over TCP; tests connect as a trusted local user.
  if ! psql_as -d postgres -c 'SELECT 1' >/dev/null 2>&1 && is_local "$PG_HOST"; then
    local hba
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n "$hba" ]] || die "cannot log in to PostgreSQL as $PG_USER and no local pg_hba.conf to fix"
    say "allowing trust auth for 127.0.0.1 and ::1 in $hba (local test server)"
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    local version
    version=$(basename "$(dirname "$(dirname "$hba")")")
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    sleep 1
  fi
  psql_as -d postgres -c 'SELECT 1' >/dev/null || die "cannot log in to PostgreSQL as $PG_USER at $PG_HOST:$PG_PORT"

  if [[ -z "$(psql_as -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" ]]; then
    say "creating database $PG_DB"
    psql_as -d postgres -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
  fi
  say "PostgreSQL ok: $PG_USER@$PG_HOST:$PG_PORT/$PG_DB"
}

# ---------------------------------------------------------------- Redis
redis_ping() {
  local reply
  reply=$( (exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3) 2>/dev/null || true)
  [[ "$reply" == "+PONG" ]]
}

ensure_redis() {
  if ! redis_ping; then
    is_local "$REDIS_HOST" || die "Redis at $REDIS_HOST:$REDIS_PORT is not reachable (and not local: not starting it)"
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    $SUDO mkdir -p /var/lib/redis /var/log/redis
    say "starting Redis on port $REDIS_PORT"
    $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_port "$REDIS_HOST" "$REDIS_PORT" Redis
    for _ in $(seq 1 20); do redis_ping && break; sleep 0.25; done
    redis_ping || die "Redis does not answer PING on $REDIS_HOST:$REDIS_PORT"
  fi
  say "Redis ok: $REDIS_HOST:$REDIS_PORT"
}

ensure_postgres
ensure_redis
# the browser tests (Playwright on Debian's Chromium)
"$(dirname "$0")/ensure-chromium.sh"
