#!/usr/bin/env bash
# Keeps one service running: scripts/supervise.sh [--pid-file FILE] NAME COMMAND [ARGS...]
#   Runs COMMAND; when it dies unexpectedly (killed, or any exit code but 0 and 2) it is started
#   again after a short back-off (0.5 s, doubling to at most 5 s; back to 0.5 s once a run lasted
#   30 s). Exit 0 is a deliberate stop and exit 2 a bad configuration that a restart cannot fix:
#   the supervisor then exits with the same code. SIGTERM or SIGINT stops the service (it gets
#   SIGTERM: a background job of a script ignores SIGINT) and the supervisor exits once it has
#   stopped, with its exit code. --pid-file keeps the running service's PID. A supervisor killed
#   outright takes its service with it (SIGKILL, on Linux).
# scripts/services.sh starts each service through it; its lines go to the service's log.
set -uo pipefail

pid_file=
if [ "${1:-}" = --pid-file ]; then pid_file=$2; shift 2; fi
[ $# -ge 2 ] || { echo "usage: $0 [--pid-file FILE] NAME COMMAND [ARGS...]" >&2; exit 2; }
name=$1
shift

say() { echo "supervise: $name: $*" >&2; }

# A supervisor killed outright (kill -9 of the PID make up keeps, the OOM killer) runs no trap:
# its service ran on unsupervised, holding the port, where make down no longer found it and the
# next make up took its answers for the new one's (whose start failed on the port, not restarted).
# Linux's parent-death signal (util-linux's setpriv) ends the service with its supervisor.
with_supervisor=()
setpriv --help 2>/dev/null | grep -q -- --pdeathsig && with_supervisor=(setpriv --pdeathsig KILL)

child=
stopping=
stop() {
  stopping=1
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT

delay_ms=500
while :; do
  started=$SECONDS
  ${with_supervisor[@]+"${with_supervisor[@]}"} "$@" &
  child=$!
  [ -n "$pid_file" ] && echo "$child" >"$pid_file"
  # A trapped signal interrupts `wait`; wait again until the service itself has ended.
  while :; do
    wait "$child"
    code=$?
    kill -0 "$child" 2>/dev/null || break
  done
  child=
  [ -n "$pid_file" ] && rm -f "$pid_file"
  if [ -n "$stopping" ]; then exit "$code"; fi
  case $code in
    0) say "exited by itself (0): not restarted"; exit 0 ;;
    2) say "bad configuration (exit 2): not restarted"; exit 2 ;;
  esac
  [ $((SECONDS - started)) -ge 30 ] && delay_ms=500
  say "died (exit $code); restarting in $((delay_ms / 1000)).$((delay_ms % 1000 / 100)) s"
  sleep "$((delay_ms / 1000)).$((delay_ms % 1000 / 100))" &
  wait $!
  if [ -n "$stopping" ]; then kill $! 2>/dev/null; exit 0; fi
  delay_ms=$((delay_ms * 2 > 5000 ? 5000 : delay_ms * 2))
done
