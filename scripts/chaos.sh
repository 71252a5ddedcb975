#!/usr/bin/env bash
# `make chaos ARGS="..."`: the fault harness (stress/chaos/cli.ts). It needs a system of its own,
# because it stops and kills things: its own Redis and PostgreSQL (scripts/infra.sh under
# RUN_DIR, default .run/chaos, on REDIS_PORT / PG_PORT, default 6393 / 5443), the services built
# to dist/ and run by the harness under scripts/supervise.sh on FLIGHT_PORT / BOOKING_PORT /
# PAYMENT_PORT / USER_PORT (default 8180-8183), with the short timeouts of scripts/stress.sh so
# that what a fault leaves pending settles within seconds. Tokens are required (AUTH_MODE):
# the load books as customers registered at user-svc, admin calls sign in as an operator's
# account made here as `make user` makes one. Redis and PostgreSQL are stopped at the end if
# this run started them. Everything listens on 127.0.0.1.
set -uo pipefail
cd "$(dirname "$0")/.."

harness() { node --import tsx stress/chaos/cli.ts "$@"; }
for a in "$@"; do
  case $a in -h | --help | --list | --check) harness "$@"; exit $? ;; esac
done
# Bad flags stop here, before anything is started or built.
harness --check "$@" || exit 2
if [ -n "${REDIS_URL:-}${FLIGHTS_DATABASE_URL:-}${BOOKINGS_DATABASE_URL:-}" ]; then
  echo "chaos: it stops and kills its Redis and PostgreSQL: unset REDIS_URL / *_DATABASE_URL, it starts its own" >&2
  exit 2
fi

export RUN_DIR=${RUN_DIR:-.run/chaos} REDIS_PORT=${REDIS_PORT:-6393} PG_PORT=${PG_PORT:-5443} PG_FAST=${PG_FAST:-1}
export FLIGHT_PORT=${FLIGHT_PORT:-8180} BOOKING_PORT=${BOOKING_PORT:-8181} PAYMENT_PORT=${PAYMENT_PORT:-8182}
export USER_PORT=${USER_PORT:-8183}
for p in "$FLIGHT_PORT" "$BOOKING_PORT" "$PAYMENT_PORT" "$USER_PORT"; do
  if curl -fsS -m 1 "http://127.0.0.1:$p/health" >/dev/null 2>&1; then
    echo "chaos: something already answers on port $p; choose other FLIGHT_PORT / BOOKING_PORT / PAYMENT_PORT / USER_PORT" >&2
    exit 2
  fi
done

. scripts/infra-env.sh
. scripts/forward-term.sh
stop_infra=
# The URLs exported below would make infra.sh take the servers for someone else's.
finish() { [ -n "$stop_infra" ] && REDIS_URL= FLIGHTS_DATABASE_URL= BOOKINGS_DATABASE_URL= scripts/infra.sh down >&2; }
trap finish EXIT
infra_running || stop_infra=1
scripts/infra.sh up >&2 || exit 2

infra_urls
export STRESS_FLIGHT_URL=http://127.0.0.1:$FLIGHT_PORT STRESS_BOOKING_URL=http://127.0.0.1:$BOOKING_PORT
export STRESS_PAYMENT_URL=http://127.0.0.1:$PAYMENT_PORT STRESS_USER_URL=http://127.0.0.1:$USER_PORT
export FLIGHT_SERVICE_URL=$STRESS_FLIGHT_URL PAYMENT_SERVICE_URL=$STRESS_PAYMENT_URL USER_SERVICE_URL=$STRESS_USER_URL
export PAYMENT_TIMEOUT_MS=${PAYMENT_TIMEOUT_MS:-500} PAYMENT_TIMEOUT_DELAY_MS=${PAYMENT_TIMEOUT_DELAY_MS:-800}
export FLIGHT_TIMEOUT_MS=${FLIGHT_TIMEOUT_MS:-2000} BOOKING_RETRY_MAX_SECONDS=${BOOKING_RETRY_MAX_SECONDS:-10}
export BOOKING_PENDING_DEADLINE_SECONDS=${BOOKING_PENDING_DEADLINE_SECONDS:-8} BOOKING_SWEEP_MS=${BOOKING_SWEEP_MS:-250}
export HOLD_SWEEP_MS=${HOLD_SWEEP_MS:-250} LOG_LEVEL=${LOG_LEVEL:-warn}
# Tokens as in production; user-svc's key and booking-svc's client secret under the run's folder.
export AUTH_MODE=required AUTH_KEY_DIR=${AUTH_KEY_DIR:-$RUN_DIR/keys}
# Each run signs in its customers and admin: more than 10 logins a minute.
export LOGIN_RATE_LIMIT=${LOGIN_RATE_LIMIT:-1000}

scripts/build.sh >&2 || exit 2
node dist/scripts/migrate.js >&2 || exit 2
export STRESS_ADMIN_USERNAME=${STRESS_ADMIN_USERNAME:-chaos-admin}
export STRESS_ADMIN_PASSWORD=${STRESS_ADMIN_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')x9}
node dist/scripts/user.js --username "$STRESS_ADMIN_USERNAME" --password "$STRESS_ADMIN_PASSWORD" --role admin >&2 || exit 2
# The harness stops the services it started and reports the runs that ended before Redis and
# PostgreSQL are stopped.
run_forwarding_term node --import tsx stress/chaos/cli.ts --run-dir "$RUN_DIR" "$@"
