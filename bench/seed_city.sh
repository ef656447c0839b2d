#!/usr/bin/env bash
# `sihai seed-demo --scale city`: wall time, peak memory (max RSS) and database size,
# on a fresh SQLite file and on a fresh PostgreSQL database.
#
# Usage, from the repository root:  bash bench/seed_city.sh [sqlite|postgres|both]
#   PG_URL (default postgres://postgres@127.0.0.1:5432) names the PostgreSQL server; the
#   script creates a database of its own there (sihai_bench_<pid>) and drops it at the end.
#   SOURCE=clone (default) seeds with a `git clone` of HEAD (a fixed snapshot, run on the
#   repository's .venv with PYTHONPATH pointing at the clone); SOURCE=worktree uses the
#   working tree as it is, uncommitted changes included.
#
# For each database: migrate (not timed), then time
#   sihai seed-demo --scale city --quiet-personas
# under /usr/bin/time -v (wall clock and "Maximum resident set size" of the seeding
# process), then report the database size: SQLite = main file + -wal (+ -shm listed
# apart), PostgreSQL = pg_database_size(). Row counts of what was made are printed too,
# and the registry search latency by ID number on the seeded database
# (bench/registry_search.py).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
WHICH="${1:-both}"
SOURCE="${SOURCE:-clone}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
PG_DB="sihai_bench_$$"
SIHAI="$REPO/.venv/bin/sihai"
PYTHON="$REPO/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=config.settings.demo
export SIHAI_LOG_LEVEL=WARNING

WORK="$(mktemp -d /tmp/sihai-seed-city.XXXXXX)"
PG_CREATED=""
cleanup() {
  if [[ -n "$PG_CREATED" ]]; then
    timeout 60 psql "$PG_URL/postgres" -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" || echo "could not drop $PG_DB" >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "nproc:  $(nproc)"
echo "RAM:    $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the run"
if [[ "$SOURCE" == "clone" ]]; then
  git clone --quiet "$REPO" "$WORK/src"
  export PYTHONPATH="$WORK/src"
  cd "$WORK/src"
  echo "sihai:  git clone of commit $(git rev-parse --short HEAD) (committed files only)"
else
  echo "sihai:  working tree at $(git rev-parse --short HEAD) (uncommitted changes included)"
fi

# Run "$@" under /usr/bin/time -v; print its output, then wall time and max RSS.
timed() {
  local label="$1"; shift
  if [[ -x /usr/bin/time ]]; then
    timeout 3600 /usr/bin/time -v -o "$WORK/time.txt" "$@" | sed 's/^/    /'
    local wall rss
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$WORK/time.txt")"
    rss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")"
    cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$WORK/time.txt")"
    echo "  $label wall time: $wall (h:mm:ss or m:ss)"
    echo "  $label CPU time of the seeding process (user + system): $cpu s" \
         "(on a shared machine the wall time also holds other processes' turns)"
    echo "  $label peak memory (max RSS of the seeding process): $((rss / 1024)) MiB ($rss kB)"
  else
    # No GNU time: a Python wrapper reading the child's rusage.
    timeout 3600 "$PYTHON" -c '
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"  wall time: {wall:.2f} s; peak memory (max RSS): {rss // 1024} MiB ({rss} kB)")
' "$@"
  fi
}

counts() {  # what the seed made, counted through the ORM (same code for both databases)
  "$SIHAI" shell --verbosity 0 -c '
from sihai.accounts.models import Department, RoleAssignment, User
from sihai.areas.models import AdministrativeArea
from sihai.residents.models import Consent, Resident
print(f"    rows: areas {AdministrativeArea.objects.count()}, departments "
      f"{Department.objects.count()}, users {User.objects.count()}, "
      f"role assignments {RoleAssignment.objects.count()}, residents "
      f"{Resident.objects.count()}, consents {Consent.objects.count()}")'
}

search() {  # registry search latency by ID number on the seeded database
  echo "  registry search by ID number (bench/registry_search.py):"
  timeout 900 "$PYTHON" "$REPO/bench/registry_search.py" --lookups 2000
}

if [[ "$WHICH" == "sqlite" || "$WHICH" == "both" ]]; then
  DB="$WORK/city.sqlite3"
  # The same SQLite options as the default `make demo` database (config/env.py).
  OPTS="timeout=20&transaction_mode=IMMEDIATE"
  OPTS+="&init_command=PRAGMA%20journal_mode%3DWAL%3B%20PRAGMA%20synchronous%3DNORMAL%3B"
  export DATABASE_URL="sqlite:///$DB?$OPTS"
  echo
  echo "== SQLite ($DB) =="
  timeout 600 "$SIHAI" migrate --verbosity 0
  empty_b="$(( $(stat -c %s "$DB") + $(stat -c %s "$DB-wal" 2>/dev/null || echo 0) ))"
  timed "SQLite seed-demo --scale city" "$SIHAI" seed-demo --scale city --quiet-personas
  counts
  search
  main_b="$(stat -c %s "$DB")"
  wal_b="$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)"
  shm_b="$(stat -c %s "$DB-shm" 2>/dev/null || echo 0)"
  # The last connection to close checkpoints the WAL into the main file, hence WAL 0.
  mode="$("$PYTHON" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("pragma journal_mode").fetchone()[0])' "$DB")"
  echo "  SQLite journal mode: $mode"
  echo "  SQLite size: $(( (main_b + wal_b) / 1024 )) KiB = main $((main_b / 1024)) KiB" \
       "+ WAL $((wal_b / 1024)) KiB (shared-memory index -shm: $((shm_b / 1024)) KiB, not counted;" \
       "$((empty_b / 1024)) KiB migrated but empty)"
  unset DATABASE_URL
fi

if [[ "$WHICH" == "postgres" || "$WHICH" == "both" ]]; then
  echo
  echo "== PostgreSQL ($PG_URL/$PG_DB) =="
  echo "  server: $(timeout 30 psql "$PG_URL/postgres" -Atc 'show server_version')"
  timeout 60 psql "$PG_URL/postgres" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $PG_DB"
  PG_CREATED=1
  export DATABASE_URL="$PG_URL/$PG_DB"
  size_of() { timeout 30 psql "$DATABASE_URL" -Atc "select pg_database_size('$PG_DB')"; }
  timeout 600 "$SIHAI" migrate --verbosity 0
  empty_b="$(size_of)"
  timed "PostgreSQL seed-demo --scale city" "$SIHAI" seed-demo --scale city --quiet-personas
  counts
  search
  full_b="$(size_of)"
  echo "  PostgreSQL size: pg_database_size = $((full_b / 1024)) KiB after seeding" \
       "($((empty_b / 1024)) KiB migrated but empty; seeding added $(( (full_b - empty_b) / 1024 )) KiB)"
fi
