#!/usr/bin/env bash
# Time of `make demo` on a fresh clone, and the server's start-up time.
#
# Usage, from the repository root:  bash bench/make_demo_time.sh [STARTS]
#
# 1. `git clone` this repository into a temporary directory (committed files only: a
#    fresh clone is exactly what a newcomer gets), pick a free port, and launch
#    `make demo PORT=<port>` in its own process group. Report
#      - setup:   launch -> the "Serving Sihai at ..." line (venv, pip install, npm ci,
#                 compilemessages, migrate, load-areas, seed-demo --scale demo),
#      - total:   launch -> GET /readyz answers 200 (what a newcomer waits for).
#    Package caches are whatever this machine has (pip: the local wheelhouse/index and
#    ~/.cache/pip; npm: ~/.npm): run the script twice to measure with warm caches.
# 2. Stop make's process group, then STARTS times (default 5) launch
#    `gunicorn config.wsgi --workers 2 --threads 4` in the clone with the demo settings and
#    time launch -> /readyz 200; report each start and the median.
# 3. Stop everything it started (by process group) and delete the clone.
#
# Every wait is bounded; all traffic goes to 127.0.0.1.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STARTS="${1:-5}"
MAKE_TIMEOUT_S=900      # whole `make demo` set-up
READY_TIMEOUT_S=60      # one gunicorn start
POLL_S=0.05

WORK="$(mktemp -d /tmp/sihai-make-demo.XXXXXX)"
GROUPS_STARTED=()

stop_group() {  # stop one process group we started: TERM, then KILL after 10 s
  local pgid="$1"
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

cleanup() {
  local pgid
  for pgid in "${GROUPS_STARTED[@]}"; do stop_group "$pgid"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
free_port() {
  "$REPO/.venv/bin/python" -c \
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }

# Launch "$@" in a new session (own process group); sets LAUNCHED_PID (== its pgid).
launch() {
  local log="$1"; shift
  setsid "$@" >"$log" 2>&1 < /dev/null &
  LAUNCHED_PID=$!
  GROUPS_STARTED+=("$LAUNCHED_PID")
}

echo "date:  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "nproc: $(nproc)"
echo "RAM:   $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "load:  $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the run"
echo "commit: $(git -C "$REPO" rev-parse --short HEAD)"
echo "package sources: pip cache ~/.cache/pip $(du -sh ~/.cache/pip 2>/dev/null | cut -f1 || echo absent)," \
     "PIP_FIND_LINKS=${PIP_FIND_LINKS:-unset}, npm cache ~/.npm $(du -sh ~/.npm 2>/dev/null | cut -f1 || echo absent)"

CLONE="$WORK/sihai"
git clone --quiet "$REPO" "$CLONE"
cd "$CLONE"
PORT="$(free_port)"
echo "clone: $CLONE  port: $PORT"

# --- 1. make demo, launch -> "Serving" line -> /readyz 200 --------------------------------
started="$(now)"
launch "$WORK/make-demo.log" make demo "PORT=$PORT"
make_pgid="$LAUNCHED_PID"
setup_done=""
total=""
seen=0
echo "make demo's output, each line stamped with the seconds since launch when it appeared:"
while :; do
  t="$(now)"
  lines="$(wc -l < "$WORK/make-demo.log")"
  if (( lines > seen )); then
    # pip's notes about the machine's partial local indexes are left out (they are many).
    tail -n "+$((seen + 1))" "$WORK/make-demo.log" | head -n "$((lines - seen))" |
      { grep -v "^WARNING: Location 'file:" || true; } | cut -c1-110 |
      while IFS= read -r line; do printf '  %7s  %s\n' "$(elapsed "$started" "$t")" "$line"; done
    seen="$lines"
  fi
  if [[ -z "$setup_done" ]] && grep -q "^Serving Sihai at" "$WORK/make-demo.log"; then
    setup_done="$t"
  fi
  if [[ -n "$setup_done" && "$(status_of "http://127.0.0.1:$PORT/readyz")" == "200" ]]; then
    total="$(now)"
    break
  fi
  if ! kill -0 "$make_pgid" 2>/dev/null; then
    echo "make demo exited before /readyz answered; last lines of its log:" >&2
    tail -n 40 "$WORK/make-demo.log" >&2
    exit 1
  fi
  if (( $(awk -v a="$started" -v b="$t" -v m="$MAKE_TIMEOUT_S" 'BEGIN { print (b - a > m) }') )); then
    echo "make demo did not serve within ${MAKE_TIMEOUT_S} s; last lines of its log:" >&2
    tail -n 40 "$WORK/make-demo.log" >&2
    exit 1
  fi
  sleep "$POLL_S"
done
echo
echo "make demo, launch -> 'Serving Sihai' line (set-up):  $(elapsed "$started" "$setup_done") s"
echo "make demo, launch -> /readyz 200 (total):            $(elapsed "$started" "$total") s"
echo "  of which gunicorn start-up inside make demo:       $(elapsed "$setup_done" "$total") s"
echo "seed-demo summary: $(grep -m1 'demo city (demo) ready' "$WORK/make-demo.log" || echo '?')"
stop_group "$make_pgid"

# --- 2. server start-up time, STARTS times --------------------------------------------------
starts=()
for i in $(seq "$STARTS"); do
  # Wait (bounded) until the previous server has released the port.
  for _ in $(seq 100); do
    [[ "$(status_of "http://127.0.0.1:$PORT/healthz")" == "000" ]] && break
    sleep 0.1
  done
  started="$(now)"
  launch "$WORK/gunicorn-$i.log" env DJANGO_SETTINGS_MODULE=config.settings.demo \
    .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
    --log-level warning
  pgid="$LAUNCHED_PID"
  ready=""
  while :; do
    if [[ "$(status_of "http://127.0.0.1:$PORT/readyz")" == "200" ]]; then
      ready="$(now)"
      break
    fi
    if ! kill -0 "$pgid" 2>/dev/null; then
      echo "gunicorn exited; its log:" >&2
      cat "$WORK/gunicorn-$i.log" >&2
      exit 1
    fi
    if (( $(awk -v a="$started" -v b="$(now)" -v m="$READY_TIMEOUT_S" 'BEGIN { print (b - a > m) }') )); then
      echo "gunicorn did not become ready within ${READY_TIMEOUT_S} s" >&2
      exit 1
    fi
    sleep "$POLL_S"
  done
  starts+=("$(elapsed "$started" "$ready")")
  echo "gunicorn start $i: launch -> /readyz 200: ${starts[-1]} s"
  stop_group "$pgid"
done
median="$(printf '%s\n' "${starts[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
echo "gunicorn start-up, median of $STARTS: $median s (min $(printf '%s\n' "${starts[@]}" | sort -n | head -1), max $(printf '%s\n' "${starts[@]}" | sort -n | tail -1))"
