#!/usr/bin/env bash
# `make test-node24` and `make bench-node24`: a command on Node 24 (the current LTS) whatever node
# is installed; without arguments the whole suite (scripts/test.sh). The npm registry's node@24
# package ships the binary; it is installed once under .run/node24 and put first on PATH, so npx,
# tsx, tap, the services and the bench's stand-ins all run on it.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.run/node24
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  mkdir -p "$dir"
  echo '{"private":true,"allowScripts":{"node":true}}' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-save node@24 >/dev/null
fi
export PATH="$PWD/$dir/node_modules/.bin:$PATH"
echo "node24: $(node --version)"
if [ $# -eq 0 ]; then set -- scripts/test.sh; fi
exec "$@"
