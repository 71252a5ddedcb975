# Sourced by scripts/stress.sh and scripts/chaos.sh.
# Runs a harness (a command, not a shell function: its PID must be the harness') in the background, so that a SIGTERM to the script reaches it (it then ends its
# load, puts back what it changed and reports what finished) before the script's exit trap stops
# the system under it, and returns the harness' exit code. Ctrl-C reaches the harness by itself
# (the terminal signals the whole process group); the script only waits for it.
run_forwarding_term() {
  "$@" &
  local hpid=$! code
  trap 'kill -TERM "$hpid" 2>/dev/null' TERM
  trap ':' INT
  wait "$hpid"
  code=$?
  # A trapped signal interrupts `wait`: wait again until the harness has ended.
  while kill -0 "$hpid" 2>/dev/null; do
    wait "$hpid"
    code=$?
  done
  return $code
}
