#!/usr/bin/env bash
# Service requests: POST req/s and p95 vs hello-world, inbox first page as the table grows,
# escalation sweep wall time. Arguments go to bench/cases.py (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/cases.py "$@"
