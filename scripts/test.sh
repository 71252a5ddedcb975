#!/usr/bin/env bash
# `make test`: installs npm packages if needed, brings up a throw-away Redis and PostgreSQL
# (own ports and data dir, so a running `make run` is not disturbed), runs typecheck, lint, the
# build and every tap test, tears down what it started, and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test: installing npm packages"
  npm ci --no-audit --no-fund >/dev/null || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

export RUN_DIR=${TEST_RUN_DIR:-.run/test}
export REDIS_PORT=${TEST_REDIS_PORT:-6391}
export PG_PORT=${TEST_PG_PORT:-5441}
. scripts/infra-env.sh
. scripts/tap-args.sh

passed=0
failed=0
failed_steps=""
step() {
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_steps="$failed_steps $name"; echo "!! $name failed"; fi
}

# The type check and the compiled tests in one pass: tsconfig.test.json is tsconfig.json's program,
# emitted into dist-test/, where tap runs the tests from (scripts/tap-args.sh says why).
typecheck_and_compile_tests() {
  local rc=0
  npx tsc -p tsconfig.test.json || rc=1
  prune_compiled
  return $rc
}
# It is the longest step before the tests and needs nothing the others make, so it runs beside
# them (tsc uses one core); its output is shown once it ends.
typecheck_out=$(mktemp)
(
  passed=0 failed=0 failed_steps=""
  step "typecheck" typecheck_and_compile_tests
  echo "$passed $failed$failed_steps" >"$typecheck_out.result"
) >"$typecheck_out" 2>&1 &
typecheck_pid=$!
trap 'kill $typecheck_pid 2>/dev/null; infra_teardown' EXIT

infra_throwaway_up || { echo "0 passed, 1 failed"; exit 1; }
# The gateway tests run nginx, and skip where it is missing: it is installed as make cluster-up
# installs it (root, apt-get), beside the steps below, after infra.sh's own apt-get is done.
nginx_out=$(mktemp)
( CLUSTER_RUN_DIR=$RUN_DIR/cluster scripts/cluster.sh nginx-install ||
  echo "test: nginx is missing and could not be installed: the gateway tests will skip" ) >"$nginx_out" 2>&1 &
nginx_pid=$!
step "migrations" node --import tsx scripts/migrate.ts
step "lint" npx biome check .
# dist/ once, before the tests that start the services from it (scripts/services.sh up builds
# again: scripts/build.sh, which skips tsc when no source is newer than the last build).
step "build" scripts/build.sh
# tap builds its Test class from the plugins package.json names (its TypeScript plugin, ts-node,
# is off: the tests run compiled), and a run starts its test files with the loaders of the class
# it found built when it started. A new npm ci has tap's default class, so it is built first.
step "tap plugins" npx tap build
wait $typecheck_pid
wait $nginx_pid
cat "$nginx_out"
rm -f "$nginx_out"
cat "$typecheck_out"
read -r tc_passed tc_failed tc_failed_steps <"$typecheck_out.result" || { tc_passed=0 tc_failed=1 tc_failed_steps=" typecheck"; }
passed=$((passed + tc_passed))
failed=$((failed + tc_failed))
failed_steps="$failed_steps${tc_failed_steps:+ $tc_failed_steps}"
rm -f "$typecheck_out" "$typecheck_out.result"

report=$(mktemp)
mapfile -t targets < <(tap_args "$@")
plan_tap_runs "${targets[@]}"
# One tap run per group of files; each ends with its own summary line, added up below.
runs=0
tap_run() {
  [ $# -gt ${#options[@]} ] || return 0
  runs=$((runs + 1))
  npx tap --reporter=tap "$@" 2>&1 | tee -a "$report"
}
echo "== tap: ${#parallel[@]} files, then ${#serial[@]} serial files one at a time"
tap_run "${options[@]}" "${parallel[@]}"
tap_run "${options[@]}" "${serial[@]}"
# Each summary reads `# { total: N, pass: N, fail: N }`, without the counts that are zero.
read -r tap_pass tap_fail summaries < <(awk '
  function count(name) { return match($0, name ": [0-9]+") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 2) : 0 }
  /^# \{ total:/ { n++; p += count("pass"); f += count("fail") }
  END { print p + 0, f + 0, n + 0 }' "$report")
if [ "$runs" = 0 ]; then tap_fail=1; echo "!! no test files found"
elif [ "$summaries" != "$runs" ]; then tap_fail=$((tap_fail + 1)); echo "!! a tap run printed no summary"; fi
# CI keeps only the tail of the output, so the failures are repeated where it will be read.
if [ -n "$failed_steps" ] || grep -q 'not ok' "$report"; then
  echo "== failures"
  [ -n "$failed_steps" ] && echo "steps:$failed_steps"
  grep -E '^ *not ok ' "$report" | grep -v '# TODO' | head -40
fi
rm -f "$report"
passed=$((passed + tap_pass))
failed=$((failed + tap_fail))

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
