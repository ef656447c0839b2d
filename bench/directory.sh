#!/usr/bin/env bash
# Service-directory figures: nearest queries (in process and over HTTP vs hello-world), city-wide
# coverage, placement greedy vs exact (see bench/directory.py).
# Usage, from the repository root: bash bench/directory.sh [--duration 10] [--rounds 3] [--city-db FILE]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
command -v wrk >/dev/null 2>&1 || { echo "wrk not found (apt-get install wrk)" >&2; exit 2; }
exec timeout 3600 .venv/bin/python bench/directory.py "$@"
