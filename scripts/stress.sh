#!/usr/bin/env bash
# `make stress-test ARGS="..."`: the stress harness (stress/cli.ts, run built from dist/).
# Targets STRESS_FLIGHT_URL / STRESS_BOOKING_URL / STRESS_PAYMENT_URL (default 127.0.0.1 and
# FLIGHT_PORT / BOOKING_PORT / PAYMENT_PORT, else 8080-8082). When they do not answer GET /health
# and point at this machine, it starts the system (scripts/services.sh up: build, Redis and
# PostgreSQL, migrations, demo data, the three services from dist/) with short timeouts so that
# payment timeouts and pending bookings settle within seconds, and stops what it started at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
export RUN_DIR=${RUN_DIR:-.run}
export STRESS_FLIGHT_URL=${STRESS_FLIGHT_URL:-http://127.0.0.1:${FLIGHT_PORT:-8080}}
export STRESS_BOOKING_URL=${STRESS_BOOKING_URL:-http://127.0.0.1:${BOOKING_PORT:-8081}}
export STRESS_PAYMENT_URL=${STRESS_PAYMENT_URL:-http://127.0.0.1:${PAYMENT_PORT:-8082}}
URLS=("$STRESS_FLIGHT_URL" "$STRESS_BOOKING_URL" "$STRESS_PAYMENT_URL")

for a in "$@"; do
  case $a in
    -h | --help | --list) npm run --silent build && exec node dist/stress/cli.js "$@" ;;
  esac
done

healthy() {
  for u in "${URLS[@]}"; do curl -fsS -m 2 "$u/health" >/dev/null 2>&1 || return 1; done
}
is_local() { [[ $1 =~ ^https?://(127\.0\.0\.1|localhost)(:[0-9]+)?/?$ ]]; }
port_of() { local p=${1##*:}; echo "${p%/}"; }

started=
infra_was_running=
finish() {
  [ -z "$started" ] && return
  # Stop only what this run started: the services always, Redis and PostgreSQL if they were down.
  if [ -n "$infra_was_running" ]; then scripts/services.sh stop; else scripts/services.sh down; fi
}
trap finish EXIT

if healthy; then
  echo "stress: using the running services at ${URLS[*]}"
  npm run --silent build || exit 2
else
  for u in "${URLS[@]}"; do
    is_local "$u" || { echo "stress: $u does not answer GET /health (and is not this machine: nothing to start)" >&2; exit 2; }
  done
  scripts/infra.sh status | grep -q "^redis: running" && scripts/infra.sh status | grep -q "^postgres: running" \
    && infra_was_running=1
  export FLIGHT_PORT=$(port_of "$STRESS_FLIGHT_URL") BOOKING_PORT=$(port_of "$STRESS_BOOKING_URL") \
    PAYMENT_PORT=$(port_of "$STRESS_PAYMENT_URL")
  export FLIGHT_SERVICE_URL=${FLIGHT_SERVICE_URL:-$STRESS_FLIGHT_URL} PAYMENT_SERVICE_URL=${PAYMENT_SERVICE_URL:-$STRESS_PAYMENT_URL}
  # Short timeouts for the system this run starts (each can be overridden from the environment):
  # booking-svc gives up on a payment after 0.5 s, payment-mock answers a timeout after 0.8 s,
  # and unfinished bookings are taken over by the sweeper 8 s after they started.
  export PAYMENT_TIMEOUT_MS=${PAYMENT_TIMEOUT_MS:-500} PAYMENT_TIMEOUT_DELAY_MS=${PAYMENT_TIMEOUT_DELAY_MS:-800}
  export FLIGHT_TIMEOUT_MS=${FLIGHT_TIMEOUT_MS:-2000}
  export BOOKING_PENDING_DEADLINE_SECONDS=${BOOKING_PENDING_DEADLINE_SECONDS:-8} BOOKING_SWEEP_MS=${BOOKING_SWEEP_MS:-250}
  export BOOKING_HOLD_TTL_SECONDS=${BOOKING_HOLD_TTL_SECONDS:-60} HOLD_SWEEP_MS=${HOLD_SWEEP_MS:-250}
  export LOG_LEVEL=${LOG_LEVEL:-warn}
  echo "stress: the services do not answer; starting them (scripts/services.sh up, logs in $RUN_DIR/logs)"
  started=1
  scripts/services.sh up || { echo "stress: could not start the system" >&2; exit 2; }
fi

node dist/stress/cli.js "$@"
code=$?
exit $code
