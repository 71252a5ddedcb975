#!/usr/bin/env bash
# `make bench`: every bench/*.bench.ts (or those named, e.g. ARGS="search payment") against a
# throw-away Redis and PostgreSQL of its own. Benches print figures and ratios; they assert nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUN_DIR=${BENCH_RUN_DIR:-.run/bench}
export REDIS_PORT=${BENCH_REDIS_PORT:-6392}
export PG_PORT=${BENCH_PG_PORT:-5442}
export LOG_LEVEL=${LOG_LEVEL:-warn}
. scripts/infra-env.sh
trap infra_teardown EXIT
infra_throwaway_up
npx tsx scripts/migrate.ts

if [ $# -gt 0 ]; then files=(); for n in "$@"; do files+=("bench/$n.bench.ts"); done
else files=(bench/*.bench.ts); fi
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "bench: no such bench: $f" >&2; exit 2; }
  echo; echo "=== $f"
  npx tsx "$f"
done
