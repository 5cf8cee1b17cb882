#!/usr/bin/env bash
# Ensure what the test suite needs outside Python: the system's Chromium (end-to-end tests
# of the web interface) and a PostgreSQL server.
#
#   scripts/ensure-services.sh [chromium] [postgres]     (default: both)
#
# Chromium: nothing to do when FIRSTLINE_CHROMIUM names an executable, or `chromium` is on
# PATH or at /usr/bin/chromium; otherwise Debian's package is installed with
# `apt-get install chromium` (as root or via sudo -n). Playwright's own browser downloads
# (`playwright install`) are never used.
#
# PostgreSQL: default target 127.0.0.1:5432, user "postgres", trust auth (no password).
# Steps, stopping at the first that yields a working server:
#   1. already answering                          -> nothing to do
#   2. a Debian cluster exists (/etc/postgresql/*/main) -> start it
#   3. otherwise apt-get install postgresql, set trust auth for 127.0.0.1/::1,
#      listen on localhost:5432, start the cluster
# Then wait up to $FIRSTLINE_PG_WAIT seconds (default 30) and check that a
# connection as "postgres" works.
#
# If FIRSTLINE_TEST_POSTGRES_URL is set, nothing is installed or started: the
# script only checks that this URL accepts connections (via psycopg).
#
# Safe to run repeatedly. Status goes to stderr.
set -euo pipefail

readonly HOST=127.0.0.1
readonly PORT=5432
readonly WAIT_SECONDS="${FIRSTLINE_PG_WAIT:-30}"
readonly REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf 'ensure-services: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Root runs commands directly; others go through sudo when it exists.
SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -n)
  fi
fi
as_root() {
  if [[ "$(id -u)" -ne 0 && ${#SUDO[@]} -eq 0 ]]; then
    die "need root for: $* (not root and no sudo available)"
  fi
  "${SUDO[@]}" "$@"
}

# --- which services ------------------------------------------------------------
WANTED=("$@")
[[ ${#WANTED[@]} -gt 0 ]] || WANTED=(chromium postgres)
for service in "${WANTED[@]}"; do
  [[ "$service" == chromium || "$service" == postgres ]] \
    || die "unknown service '$service' (expected chromium and/or postgres)"
done
wanted() {
  local service
  for service in "${WANTED[@]}"; do
    [[ "$service" == "$1" ]] && return 0
  done
  return 1
}

# --- Chromium ------------------------------------------------------------------
ensure_chromium() {
  if [[ -n "${FIRSTLINE_CHROMIUM:-}" ]]; then
    [[ -x "$FIRSTLINE_CHROMIUM" ]] || die "FIRSTLINE_CHROMIUM=$FIRSTLINE_CHROMIUM is not an executable"
    log "Chromium: $FIRSTLINE_CHROMIUM (FIRSTLINE_CHROMIUM)"
    return
  fi
  local found
  found="$(command -v chromium 2>/dev/null || true)"
  [[ -n "$found" ]] || { [[ -x /usr/bin/chromium ]] && found=/usr/bin/chromium; }
  if [[ -n "$found" ]]; then
    log "Chromium present: $found"
    return
  fi
  command -v apt-get >/dev/null 2>&1 \
    || die "no Chromium for the end-to-end tests and no apt-get to install it; install chromium or set FIRSTLINE_CHROMIUM"
  log "installing Chromium for the end-to-end tests (apt-get install chromium)"
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2
  [[ -x /usr/bin/chromium ]] || die "apt-get install chromium did not provide /usr/bin/chromium"
  log "Chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
}

if wanted chromium; then
  ensure_chromium
fi
if ! wanted postgres; then
  exit 0
fi

# Python with psycopg: prefer the project venv.
python_bin() {
  if [[ -x "$REPO_ROOT/.venv/bin/python" ]]; then
    echo "$REPO_ROOT/.venv/bin/python"
  else
    command -v python3 || true
  fi
}

# psycopg_check URL -> 0 if a connection can be opened and "select 1" runs.
# Accepts SQLAlchemy style URLs (postgresql+psycopg://...) too.
psycopg_check() {
  local py
  py="$(python_bin)"
  [[ -n "$py" ]] || return 2
  "$py" - "$1" <<'PY' 2>/dev/null
import re
import sys

try:
    import psycopg
except ImportError:
    sys.exit(2)
url = re.sub(r"^postgresql\+\w+://", "postgresql://", sys.argv[1])
try:
    with psycopg.connect(url, connect_timeout=3) as conn:
        conn.execute("select 1")
except Exception:
    sys.exit(1)
PY
}

default_url="postgresql://postgres@${HOST}:${PORT}/postgres"

server_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$HOST" -p "$PORT" -t 3
  else
    psycopg_check "$default_url"
  fi
}

# Login check (server answering is not enough: auth must be trust/pgpass).
can_login() {
  if command -v psql >/dev/null 2>&1; then
    psql -X -w -q -h "$HOST" -p "$PORT" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1
  else
    psycopg_check "$default_url"
  fi
}

wait_until() {
  local what="$1"; shift
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 1
  done
  log "$what"
}

# --- 0. explicit URL: check only ---------------------------------------------
if [[ -n "${FIRSTLINE_TEST_POSTGRES_URL:-}" ]]; then
  safe_url="$(sed -E 's#://([^:@/]+):[^@/]*@#://\1:***@#' <<<"$FIRSTLINE_TEST_POSTGRES_URL")"
  log "FIRSTLINE_TEST_POSTGRES_URL set; checking $safe_url (no install/start)"
  rc=0
  psycopg_check "$FIRSTLINE_TEST_POSTGRES_URL" || rc=$?
  if [[ $rc -eq 2 ]]; then
    die "psycopg is not importable; run 'make install' first"
  fi
  wait_until "PostgreSQL at $safe_url accepts connections" psycopg_check "$FIRSTLINE_TEST_POSTGRES_URL" \
    || die "cannot connect to $safe_url within ${WAIT_SECONDS}s"
  exit 0
fi

check_login_or_die() {
  if ! can_login; then
    die "server on $HOST:$PORT answers but login as 'postgres' without password fails.
  Set trust auth in pg_hba.conf, e.g.:
    host all all 127.0.0.1/32 trust
    host all all ::1/128      trust
  then reload, or set FIRSTLINE_TEST_POSTGRES_URL to a URL that works."
  fi
}

# --- 1. already up -----------------------------------------------------------
if server_answers; then
  check_login_or_die
  log "PostgreSQL already up on $HOST:$PORT"
  exit 0
fi

# Highest-versioned Debian cluster called "main", if any (prints the version).
find_cluster() {
  local d
  d="$(ls -d /etc/postgresql/*/main 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$d" ]] || return 1
  basename "$(dirname "$d")"
}

start_cluster() {
  local ver="$1" action="${2:-start}"
  command -v pg_ctlcluster >/dev/null 2>&1 || die "pg_ctlcluster not found (postgresql-common missing?)"
  log "pg_ctlcluster $ver main $action"
  # "start" on an already-running cluster exits 2; that's fine.
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main "$action" || {
    local rc=$?
    [[ "$action" == start && $rc -eq 2 ]] || die "pg_ctlcluster $ver main $action failed (rc=$rc); see /var/log/postgresql/"
  }
}

configure_trust() {
  local ver="$1"
  local dir="/etc/postgresql/$ver/main"
  local hba="$dir/pg_hba.conf" conf="$dir/postgresql.conf"
  log "configuring trust auth for 127.0.0.1/::1 and localhost:$PORT in $dir"
  # Switch the auth method of existing host lines for loopback to trust.
  as_root sed -E -i \
    -e 's#^(host[[:space:]]+[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+(127\.0\.0\.1/32|::1/128)[[:space:]]+)[^[:space:]]+.*$#\1trust#' \
    "$hba"
  # Make sure both loopback lines exist (pg_hba is first-match: prepend).
  local addr
  for addr in '::1/128' '127.0.0.1/32'; do
    if ! as_root grep -Eq "^host[[:space:]]+all[[:space:]]+all[[:space:]]+${addr//./\\.}[[:space:]]+trust" "$hba"; then
      as_root sed -i "1i host all all $addr trust" "$hba"
    fi
  done
  as_root sed -E -i \
    -e "s/^[#[:space:]]*listen_addresses[[:space:]]*=.*/listen_addresses = 'localhost'/" \
    -e "s/^[#[:space:]]*port[[:space:]]*=.*/port = $PORT/" \
    "$conf"
  as_root grep -q "^listen_addresses" "$conf" || echo "listen_addresses = 'localhost'" | as_root tee -a "$conf" >/dev/null
  as_root grep -q "^port" "$conf" || echo "port = $PORT" | as_root tee -a "$conf" >/dev/null
}

cluster_online() {
  pg_lsclusters -h 2>/dev/null | awk -v v="$1" '$1 == v && $2 == "main" { print $4 }' | grep -q online
}

# --- 2. existing cluster -----------------------------------------------------
if ver="$(find_cluster)"; then
  log "found cluster $ver/main, starting it"
  start_cluster "$ver" start
else
  # --- 3. install --------------------------------------------------------------
  command -v apt-get >/dev/null 2>&1 \
    || die "no PostgreSQL on $HOST:$PORT and no apt-get to install one; start a server or set FIRSTLINE_TEST_POSTGRES_URL"
  log "installing PostgreSQL (apt-get)"
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
  if ! ver="$(find_cluster)"; then
    # createcluster.conf may disable the automatic "main" cluster.
    ver="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$ver" ]] || die "postgresql installed but no server version found under /usr/lib/postgresql"
    log "creating cluster $ver/main"
    as_root pg_createcluster -p "$PORT" "$ver" main >&2
  fi
  configure_trust "$ver"
  if cluster_online "$ver"; then
    start_cluster "$ver" restart
  else
    start_cluster "$ver" start
  fi
fi

wait_until "PostgreSQL up on $HOST:$PORT" server_answers \
  || die "PostgreSQL did not become ready on $HOST:$PORT within ${WAIT_SECONDS}s; see /var/log/postgresql/"
check_login_or_die
