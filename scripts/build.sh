#!/usr/bin/env bash
# Builds the services into dist/ (tsconfig.build.json) when a source or setting changed since the
# last build. tsc's own incremental check reads every file and took 2 s and 3.5 s of CPU when
# nothing had changed: paid on every `make up`, `make run` and test that starts a stack.
set -euo pipefail
cd "$(dirname "$0")/.."
# The last build's date is kept in a file of this script's own: tsc's dist/.tsbuildinfo is written
# by a typecheck too (`tsc -p tsconfig.build.json --noEmit`), which emits nothing, and dated by it
# the next `make up` built nothing and ran an empty or stale dist/.
built=dist/.built
sources=(contracts lib flight-svc booking-svc payment-mock user-svc mcp stress scripts)
settings=(tsconfig.json tsconfig.build.json package.json package-lock.json)
if [ -f "$built" ] && [ -z "$(find "${sources[@]}" "${settings[@]}" -newer "$built" \( -name '*.ts' -o -name '*.json' \) -print -quit)" ]; then
  exit 0
fi
# The build's time is when it started: a file saved while tsc runs is newer, and built next time.
# (tsc leaves its file as it was when the sources it compared were unchanged, as a touched one.)
started=$(mktemp)
trap 'rm -f "$started"' EXIT
node_modules/.bin/tsc -p tsconfig.build.json
touch -r "$started" "$built"
