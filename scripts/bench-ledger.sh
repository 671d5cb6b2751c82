#!/usr/bin/env bash
# Runs `corridor bench ledger ARG...` with a throwaway PostgreSQL server for its
# SQL baseline (see scripts/with-postgres.sh, which installs and starts it and
# exports CORRIDOR_BENCH_PG_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/with-postgres.sh cargo run --release -p corridor -- bench ledger "$@"
