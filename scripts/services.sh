#!/usr/bin/env bash
# Runs the whole system locally from the built code (dist/):
#   scripts/services.sh run    infrastructure + migrations + demo data if empty + the three
#                              services in the foreground; Ctrl-C stops everything it started
#   scripts/services.sh up     the same in the background (PID files and logs under .run/)
#   scripts/services.sh down   stops what `up` started
#   scripts/services.sh stop   stops the three services only (Redis and PostgreSQL keep running)
#   scripts/services.sh logs   follows the services' logs
set -euo pipefail
cd "$(dirname "$0")/.."
export RUN_DIR=${RUN_DIR:-.run}
mkdir -p "$RUN_DIR/logs"
SERVICES=(flight-svc booking-svc payment-mock)

was_running() { scripts/infra.sh status | grep -q "^$1: running"; }

prepare() {
  [ -d node_modules ] || npm ci --no-audit --no-fund
  npm run --silent build
  scripts/infra.sh up
  node dist/scripts/migrate.js
  node dist/scripts/seed-if-empty.js
}

start_services() {
  for s in "${SERVICES[@]}"; do
    scripts/supervise.sh "$s" node "dist/$s/server.js" >>"$RUN_DIR/logs/$s.log" 2>&1 &
    echo $! >"$RUN_DIR/$s.pid"
    echo "services: $s started (pid $!, log $RUN_DIR/logs/$s.log)"
  done
  wait_healthy
}

wait_healthy() {
  local ports=("${FLIGHT_PORT:-8080}" "${BOOKING_PORT:-8081}" "${PAYMENT_PORT:-8082}")
  for i in 0 1 2; do
    for _ in $(seq 1 100); do
      curl -fsS "http://127.0.0.1:${ports[$i]}/health" >/dev/null 2>&1 && break
      sleep 0.2
    done
    curl -fsS "http://127.0.0.1:${ports[$i]}/health" >/dev/null 2>&1 \
      || { echo "services: ${SERVICES[$i]} is not healthy; see $RUN_DIR/logs/${SERVICES[$i]}.log" >&2; return 1; }
  done
  echo "services: flight-svc :${ports[0]}, booking-svc :${ports[1]}, payment-mock :${ports[2]} healthy"
}

stop_services() {
  for s in "${SERVICES[@]}"; do
    local f="$RUN_DIR/$s.pid"
    if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then
      kill -TERM "$(cat "$f")"
      for _ in $(seq 1 100); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.1; done
      echo "services: $s stopped"
    fi
    rm -f "$f"
  done
}

case "${1:-}" in
  run)
    infra_before=$( { was_running redis && echo r; was_running postgres && echo p; } || true)
    prepare
    cleanup() {
      trap - INT TERM EXIT
      stop_services
      # Stop the infrastructure only if this run started it.
      [ -z "$infra_before" ] && scripts/infra.sh down
      exit 0
    }
    trap cleanup INT TERM EXIT
    start_services
    echo "services: running; Ctrl-C stops everything this command started"
    tail -n 0 -F "$RUN_DIR"/logs/*.log &
    wait
    ;;
  up) prepare; start_services ;;
  down) stop_services; scripts/infra.sh down ;;
  stop) stop_services ;;
  logs) tail -n 100 -F "$RUN_DIR"/logs/*.log ;;
  *) echo "usage: $0 run|up|down|stop|logs" >&2; exit 2 ;;
esac
