#!/usr/bin/env bash
# Requests/s of Sihai /healthz and / vs a bare Django hello-world (see bench/http_rps.py).
# Usage, from the repository root: bash bench/http_rps.sh [--duration 10] [--rounds 3]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
command -v wrk >/dev/null 2>&1 || { echo "wrk not found (apt-get install wrk)" >&2; exit 2; }
exec timeout 900 .venv/bin/python bench/http_rps.py "$@"
