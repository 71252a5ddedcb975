#!/usr/bin/env bash
# `make bench`: every benchmark (or those named, e.g. ARGS="search booking") against a throw-away
# Redis and PostgreSQL of its own. A name is a file bench/<name>.bench.ts (search, inventory,
# payment: in-process figures of one part) or a workload of bench/system.bench.ts (cached-search,
# decrement, booking, burst, auth, metrics, workers: the services built and started as `make up` starts
# them, the load from a process of its own). Benches print figures and ratios; they assert nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUN_DIR=${BENCH_RUN_DIR:-.run/bench}
export REDIS_PORT=${BENCH_REDIS_PORT:-6392}
export PG_PORT=${BENCH_PG_PORT:-5442}
# The in-process benches' servers log warnings only; the system bench's services log as `make up`'s.
export LOG_LEVEL=${LOG_LEVEL:-warn}
# The part benches measure a part, not token checks (the system bench's auth workload does that).
export AUTH_MODE=${AUTH_MODE:-off}
SYSTEM=(cached-search decrement booking burst auth metrics workers)

files=()
workloads=()
if [ $# -eq 0 ]; then files=(bench/*.bench.ts)
else
  for n in "$@"; do
    if [ -f "bench/$n.bench.ts" ] && [ "$n" != system ]; then files+=("bench/$n.bench.ts")
    elif [[ " ${SYSTEM[*]} " == *" $n "* ]]; then workloads+=("$n")
    else
      parts=$(cd bench && ls ./*.bench.ts | sed 's|./||; s|.bench.ts||' | grep -vx system | paste -sd ' ')
      echo "bench: no such bench or workload: $n (benches: ${parts}; system workloads: ${SYSTEM[*]})" >&2
      exit 2
    fi
  done
  [ ${#workloads[@]} -gt 0 ] && files+=(bench/system.bench.ts)
fi

. scripts/infra-env.sh
trap infra_teardown EXIT
infra_throwaway_up
# The system bench makes a PostgreSQL it started durable for its run (bench/system.bench.ts).
export BENCH_OWN_PG=${started_infra:-0}
node --import tsx scripts/migrate.ts
# The system and holds-topology benches run the built services, as `make up` does. Every file is
# emitted again: the incremental build only rewrites what changed in the sources, so a file of
# dist/ changed by other means (a probe edited in place) would otherwise be measured as it is.
if [[ " ${files[*]} " == *" bench/system.bench.ts "* || " ${files[*]} " == *" bench/holds-topology.bench.ts "* ]]; then
  rm -f dist/.tsbuildinfo
  npm run --silent build
fi

for f in "${files[@]}"; do
  echo; echo "=== $f"
  started=$SECONDS
  if [ "$f" = bench/system.bench.ts ]; then node --import tsx "$f" "${workloads[@]}"
  else node --import tsx "$f"
  fi
  echo "=== $f: $((SECONDS - started)) s"
done
