# Sourced by scripts/test.sh. tap finds the test files inside a folder by the file extensions its
# plugins declare, and its TypeScript plugin is off (tsx loads the TypeScript, package.json
# "node-arg"), so a folder given to tap as it is runs nothing. tap_args prints the arguments one
# per line, each folder as the glob of the test files under it, which tap expands itself.
tap_args() {
  local a
  for a in "$@"; do
    if [ -d "$a" ]; then printf '%s\n' "${a%/}/**/*.test.ts"; else printf '%s\n' "$a"; fi
  done
}
