# Sourced by scripts/test.sh. The tests run compiled (tsconfig.test.json, into dist-test/): on
# Node 20 a loader such as tsx runs its hooks on a thread of its own, and every module a test
# imports crosses to it, which cost each file 1–2 s of CPU (docs/testing.md). So the test files
# given in their source form are handed to tap as their compiled files, one argument per line: a
# folder as the glob of its compiled test files (tap expands it), a test file or a glob of them
# (`test/…/*.test.ts`) as the same under dist-test/ with `.js`. Anything else (tap's options and
# their values) passes as it is.
tap_args() {
  local a
  for a in "$@"; do
    a=${a#./}
    if [ -d "$a" ]; then printf 'dist-test/%s\n' "${a%/}/**/*.test.js"
    elif [[ $a == *.test.ts ]]; then printf 'dist-test/%s\n' "${a%.ts}.js"
    else printf '%s\n' "$a"; fi
  done
}

# A compiled file whose source is gone (a test or module deleted or renamed since the last build,
# which is incremental) would still run, or still be imported: it goes, with its source map.
prune_compiled() {
  local js src
  while IFS= read -r js; do
    src=${js#dist-test/}
    [ -f "${src%.js}.ts" ] || rm -f "$js" "$js.map"
  done < <(find dist-test -name '*.js' 2>/dev/null)
}

# The files of `serial` in package.json's tap config (each runs alone, docs/testing.md).
serial_files() {
  node -e 'for (const f of require("./package.json").tap.serial) console.log(f)'
}

# Splits tap_args' output, given as arguments, into the runs scripts/test.sh makes: `options`
# (what is not a path under dist-test/), `parallel` (the files tap lists for them, minus the
# serial ones) and `serial` (those, run after the others). tap sorts the files it runs by name
# and, before each serial one, waits until every running file ends: with the serial files spread
# across the alphabet, each of them left one core idle for as long as the file beside it took.
plan_tap_runs() {
  local a f s
  local -A is_serial=()
  options=() parallel=() serial=()
  for a in "$@"; do [[ $a == dist-test/* ]] || options+=("$a"); done
  for s in $(serial_files); do is_serial[$s]=1; done
  while IFS= read -r f; do
    if [ -n "${is_serial[$f]:-}" ]; then serial+=("$f"); else parallel+=("$f"); fi
  done < <(npx tap list "$@")
}
