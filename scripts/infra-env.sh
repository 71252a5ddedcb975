# Sourced by the scripts that start Redis and PostgreSQL through infra.sh, and by
# scripts/local-env.sh, which runs the Makefile's data scripts and the MCP server with the same
# addresses as the services of `make run`: moving a port moves everything that talks to it.
# infra_urls: the URLs of the servers infra.sh runs on $REDIS_PORT / $PG_PORT, for those the
# user did not name with REDIS_URL or FLIGHTS_DATABASE_URL / BOOKINGS_DATABASE_URL /
# USERS_DATABASE_URL (one named keeps its value; the others still follow PG_PORT).
infra_urls() {
  [ -n "${REDIS_URL:-}" ] || port_setting REDIS_PORT 6390 || return 2
  [ -n "${FLIGHTS_DATABASE_URL:-}" ] && [ -n "${BOOKINGS_DATABASE_URL:-}" ] && [ -n "${USERS_DATABASE_URL:-}" ] \
    || port_setting PG_PORT 5440 || return 2
  local pg=postgres://skybook@127.0.0.1:${PG_PORT:-5440}
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6390}}
  export FLIGHTS_DATABASE_URL=${FLIGHTS_DATABASE_URL:-$pg/flights_db}
  export BOOKINGS_DATABASE_URL=${BOOKINGS_DATABASE_URL:-$pg/bookings_db}
  export USERS_DATABASE_URL=${USERS_DATABASE_URL:-$pg/users_db}
}

# given_store_urls: the store URLs as the user gave them (empty: not given), one NAME=value a line,
# taken before infra_urls fills them in: infra.sh starts and stops only the servers they leave
# unnamed.
given_store_urls() {
  local name
  for name in REDIS_URL FLIGHTS_DATABASE_URL BOOKINGS_DATABASE_URL; do printf '%s=%s\n' "$name" "${!name:-}"; done
}

# port_setting NAME DEFAULT: NAME (DEFAULT when unset) is a port, or an error naming NAME as the
# services name a bad setting. Checked before a URL is made of it: the URL's own check would name
# the URL (FLIGHT_SERVICE_URL=http://127.0.0.1:eighty), a setting the user never set.
port_setting() {
  local value=${!1:-$2}
  [[ $value =~ ^[0-9]{1,5}$ ]] && [ "$((10#$value))" -ge 1 ] && [ "$((10#$value))" -le 65535 ] && return 0
  printf '%s: invalid configuration:\n  %s=%s: expected a port number from 1 to 65535\n' "$(basename "$0" .sh)" "$1" "$value" >&2
  return 2
}

# service_urls: where the services find each other on this machine (booking-svc: flight-svc,
# payment-mock and user-svc; every service: user-svc's JWKS; the MCP server: the public API;
# db-reset: payment-mock and flight-svc), from the ports they listen on, for each URL not set.
service_urls() {
  local spec default url port
  for spec in FLIGHT:8080 BOOKING:8081 PAYMENT:8082 USER:8083; do
    default=${spec#*:} url=${spec%:*}_SERVICE_URL port=${spec%:*}_PORT
    [ -z "${!url:-}" ] || continue
    port_setting "$port" "$default" || return 2
    export "$url=http://127.0.0.1:${!port:-$default}"
  done
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
