# Sourced by the scripts that start Redis and PostgreSQL through infra.sh, and by
# scripts/local-env.sh, which runs the Makefile's data scripts and the MCP server with the same
# addresses as the services of `make run`: moving a port moves everything that talks to it.
# infra_urls: the URLs of the servers infra.sh runs on $REDIS_PORT / $PG_PORT, for those the
# user did not name with REDIS_URL or FLIGHTS_DATABASE_URL / BOOKINGS_DATABASE_URL /
# USERS_DATABASE_URL (one named keeps its value; the others still follow PG_PORT).
infra_urls() {
  local pg=postgres://skybook@127.0.0.1:${PG_PORT:-5440}
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6390}}
  export FLIGHTS_DATABASE_URL=${FLIGHTS_DATABASE_URL:-$pg/flights_db}
  export BOOKINGS_DATABASE_URL=${BOOKINGS_DATABASE_URL:-$pg/bookings_db}
  export USERS_DATABASE_URL=${USERS_DATABASE_URL:-$pg/users_db}
}

# service_urls: where the services find each other on this machine (booking-svc: flight-svc,
# payment-mock and user-svc; every service: user-svc's JWKS; the MCP server: the public API;
# db-reset: payment-mock and flight-svc), from the ports they listen on, for each URL not set.
service_urls() {
  export FLIGHT_SERVICE_URL=${FLIGHT_SERVICE_URL:-http://127.0.0.1:${FLIGHT_PORT:-8080}}
  export BOOKING_SERVICE_URL=${BOOKING_SERVICE_URL:-http://127.0.0.1:${BOOKING_PORT:-8081}}
  export PAYMENT_SERVICE_URL=${PAYMENT_SERVICE_URL:-http://127.0.0.1:${PAYMENT_PORT:-8082}}
  export USER_SERVICE_URL=${USER_SERVICE_URL:-http://127.0.0.1:${USER_PORT:-8083}}
}

# infra_running: Redis or PostgreSQL of $RUN_DIR runs. Not `status | grep -q`: grep leaves at the
# first match, status dies of SIGPIPE writing its next line, and under pipefail a running Redis
# read as "not running" (so the caller stopped, at its end, servers it had found running).
infra_running() { [[ $(scripts/infra.sh status) == *": running"* ]]; }

# test.sh and bench.sh: a throw-away Redis and PostgreSQL of their own ($RUN_DIR, $REDIS_PORT,
# $PG_PORT), unless REDIS_URL / FLIGHTS_DATABASE_URL say otherwise.
# Sets started_infra=1 when it started them; infra_teardown stops them again.
started_infra=
infra_throwaway_up() {
  export PG_FAST=1 REDIS_APPENDONLY=no
  if [ -z "${REDIS_URL:-}" ] && [ -z "${FLIGHTS_DATABASE_URL:-}" ]; then
    scripts/infra.sh clean >/dev/null 2>&1 || true
    started_infra=1
    scripts/infra.sh up || return 1
    infra_urls
  fi
}
# The URLs were exported for the tests; unset here so infra.sh stops and deletes what it started.
infra_teardown() { [ -n "$started_infra" ] && REDIS_URL= FLIGHTS_DATABASE_URL= BOOKINGS_DATABASE_URL= scripts/infra.sh clean >/dev/null 2>&1; return 0; }
