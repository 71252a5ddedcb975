#!/usr/bin/env bash
# Runs the whole system locally from the built code (dist/):
#   scripts/services.sh run    infrastructure + migrations + demo data if empty + a demo customer
#                              with a new random password (printed) + the four services in the
#                              foreground; Ctrl-C stops everything it started,
#                              also when the output goes through a pipe (make run | tee log)
#   scripts/services.sh up     the same in the background (PID files and logs under .run/)
#   scripts/services.sh down   stops what `up` started
#   scripts/services.sh stop   stops the four services only (Redis and PostgreSQL keep running)
#   scripts/services.sh stop-all  the same for $RUN_DIR and every run folder inside it (make clean)
#   scripts/services.sh logs   follows the services' logs
# A start that fails (build, infrastructure, migrations, a service that is not healthy) stops
# again everything this command started before it exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUN_DIR=${RUN_DIR:-.run}
# user-svc makes its signing key here at first start unless AUTH_SIGNING_KEY_FILE names one.
export AUTH_KEY_DIR=${AUTH_KEY_DIR:-$RUN_DIR/keys}
mkdir -p "$RUN_DIR/logs"
. scripts/infra-env.sh
# Where the services find each other: from FLIGHT_PORT, BOOKING_PORT, PAYMENT_PORT and USER_PORT
# unless FLIGHT_SERVICE_URL, PAYMENT_SERVICE_URL or USER_SERVICE_URL say otherwise (a stack on
# moved ports must not book through the flight-svc and payment-mock of one on the default ports).
service_urls
SERVICES=(flight-svc booking-svc payment-mock user-svc)
PORTS=("${FLIGHT_PORT:-8080}" "${BOOKING_PORT:-8081}" "${PAYMENT_PORT:-8082}" "${USER_PORT:-8083}")
PORT_SETTINGS=(FLIGHT_PORT BOOKING_PORT PAYMENT_PORT USER_PORT)
mapfile -t GIVEN_URLS < <(given_store_urls)

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

prepare() {
  [ -d node_modules ] || npm ci --no-audit --no-fund
  scripts/build.sh
  scripts/infra.sh up
  infra_urls
  check_no_migration_under_running
  node dist/scripts/migrate.js
  node dist/scripts/seed-if-empty.js
  node dist/scripts/user.js --demo
}

# A service that runs was started on the code before any migration still pending: applied under
# it, the migration breaks it (the flight-svc of 0cf946f answers 500 to every seat map on
# flights_db's 010), and `up` keeps it running. The upgrade is make down, then make up.
check_no_migration_under_running() {
  local s running=()
  for s in "${SERVICES[@]}"; do pid_alive "$RUN_DIR/$s.pid" && running+=("$s"); done
  [ ${#running[@]} -gt 0 ] || return 0
  node dist/scripts/migrate.js --pending && return 0
  echo "services: ${running[*]} of $RUN_DIR run the code from before these migrations: stop them first" \
    "(make down with the same RUN_DIR), then make up (docs/running.md, Upgrading)" >&2
  return 1
}

# The services this command started: a failed start or the end of `run` stops only these.
started=()
start_services() {
  local i s
  for i in "${!SERVICES[@]}"; do
    s=${SERVICES[$i]}
    # A second `up` (or a `run` beside an `up`) keeps a running service: a new supervisor would
    # fail on the taken port and put its PID where `down` looks for the running one's.
    if pid_alive "$RUN_DIR/$s.pid"; then
      echo "services: $s already running (pid $(cat "$RUN_DIR/$s.pid"))"
      continue
    fi
    scripts/supervise.sh "$s" node "dist/$s/server.js" >>"$RUN_DIR/logs/$s.log" 2>&1 &
    echo $! >"$RUN_DIR/$s.pid"
    echo "${PORTS[$i]}" >"$RUN_DIR/$s.port"
    echo "services: $s started (pid $!, log $RUN_DIR/logs/$s.log)"
    started+=("$s")
  done
  wait_healthy
}

# A running service stays on the port it was started on, as infra.sh keeps Redis and PostgreSQL
# on theirs: `up` with another port is refused before anything changes. Kept, it waited 30 s for
# a health answer on a port nothing listens on, and had set a new demo password on the way.
check_running_ports() {
  local i s was
  for i in "${!SERVICES[@]}"; do
    s=${SERVICES[$i]}
    pid_alive "$RUN_DIR/$s.pid" && [ -f "$RUN_DIR/$s.port" ] || continue
    was=$(cat "$RUN_DIR/$s.port")
    [ "$was" = "${PORTS[$i]}" ] || {
      echo "services: the $s of $RUN_DIR runs on port $was, not on ${PORT_SETTINGS[$i]}=${PORTS[$i]}: stop it" \
        "first (make down with the same RUN_DIR), or give a second stack a RUN_DIR of its own" >&2
      return 1
    }
  done
}

wait_healthy() {
  local i pid
  for i in "${!SERVICES[@]}"; do
    pid=$(cat "$RUN_DIR/${SERVICES[$i]}.pid")
    for _ in $(seq 1 150); do
      curl -fsS -m 1 "http://127.0.0.1:${PORTS[$i]}/health" >/dev/null 2>&1 && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    curl -fsS -m 1 "http://127.0.0.1:${PORTS[$i]}/health" >/dev/null 2>&1 || {
      echo "services: ${SERVICES[$i]} is not healthy; the end of $RUN_DIR/logs/${SERVICES[$i]}.log:" >&2
      tail -n 15 "$RUN_DIR/logs/${SERVICES[$i]}.log" >&2
      return 1
    }
  done
  echo "services: flight-svc :${PORTS[0]}, booking-svc :${PORTS[1]}, payment-mock :${PORTS[2]}, user-svc :${PORTS[3]} healthy"
  for i in "${!SERVICES[@]}"; do
    printf 'services: %-12s docs http://127.0.0.1:%s/docs  metrics http://127.0.0.1:%s/metrics\n' \
      "${SERVICES[$i]}" "${PORTS[$i]}" "${PORTS[$i]}"
  done
  echo "services: log in as the demo customer (password above) for a token: curl -s -X POST" \
    "http://127.0.0.1:${PORTS[3]}/api/auth/login -H 'content-type: application/json'" \
    "-d '{\"username\":\"demo\",\"password\":\"PASSWORD\"}'; then send Authorization: Bearer <access_token>"
}

# Stops the service whose supervisor's PID file is $1 and removes the file; $2 names it.
stop_pid_file() {
  local pid
  if [ -f "$1" ] && pid=$(cat "$1") && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "services: $2 stopped"
  fi
  rm -f "$1" "${1%.pid}.port"
}

# Stops the services named (all four when none is).
stop_services() {
  local s
  [ $# -gt 0 ] || set -- "${SERVICES[@]}"
  for s in "$@"; do stop_pid_file "$RUN_DIR/$s.pid" "$s"; done
}

# make clean deletes $RUN_DIR with every run folder inside it (a second stack's, make test's): their
# services are stopped first, or they would run on with no PID file for `make down` to find.
stop_all() {
  local d s
  stop_services
  while IFS= read -r d; do
    for s in "${SERVICES[@]}"; do stop_pid_file "$d/$s.pid" "$s in $d"; done
  done < <(find "$RUN_DIR" -mindepth 2 \( -name flight-svc.pid -o -name booking-svc.pid -o -name payment-mock.pid \
    -o -name user-svc.pid \) -printf '%h\n' 2>/dev/null | sort -u)
}

# What this command started, stopped in reverse; Redis and PostgreSQL only if they were not
# already running before it. Output errors are ignored: with `make run | tee log`, Ctrl-C ends
# tee first and the remaining echoes would otherwise kill this script half-way (SIGPIPE).
infra_was_running=
stop_started() {
  set +e
  trap '' PIPE
  [ ${#started[@]} -eq 0 ] || stop_services "${started[@]}"
  [ -z "$infra_was_running" ] && env "${GIVEN_URLS[@]}" scripts/infra.sh down
  return 0
}

start_all() {
  check_running_ports
  infra_running && infra_was_running=1
  trap 'code=$?; trap - EXIT INT TERM; if [ "$code" != 0 ]; then stop_started; fi; exit "$code"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  prepare
  start_services
}

case "${1:-}" in
  run)
    start_all
    follower=
    finish() {
      trap - EXIT INT TERM
      [ -n "$follower" ] && kill "$follower" 2>/dev/null
      stop_started
      exit 0
    }
    trap finish EXIT INT TERM
    echo "services: running; Ctrl-C stops everything this command started"
    tail -n 0 -F "$RUN_DIR"/logs/*.log &
    follower=$!
    wait
    ;;
  up) start_all; trap - EXIT INT TERM ;;
  down) stop_services; scripts/infra.sh down ;;
  stop) stop_services ;;
  stop-all) stop_all ;;
  logs)
    # Without a log file the glob stays a literal '*.log' that tail would wait for forever.
    compgen -G "$RUN_DIR/logs/*.log" >/dev/null || {
      echo "services: no logs in $RUN_DIR/logs: start the services first (make up or make run)" >&2
      exit 1
    }
    tail -n 100 -F "$RUN_DIR"/logs/*.log
    ;;
  *) echo "usage: $0 run|up|down|stop|stop-all|logs" >&2; exit 2 ;;
esac
