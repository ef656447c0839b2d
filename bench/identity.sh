#!/usr/bin/env bash
# Identity figures: sign-ins/s, cost of the scope check and of an access-log write, field
# encryption throughput. A fresh SQLite database with the demo city; nothing leaves the process.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_FIGURE="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DJANGO_SETTINGS_MODULE=config.settings.demo
# The request log line is part of every real request, but not worth printing here.
export SIHAI_LOG_LEVEL=WARNING
export DATABASE_URL="sqlite:///$work/bench.sqlite3"
.venv/bin/sihai migrate --verbosity 0
.venv/bin/sihai seed-demo --quiet-personas >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load: $(cut -d' ' -f1-3 /proc/loadavg)"
.venv/bin/python bench/identity.py "$SECONDS_PER_FIGURE"
