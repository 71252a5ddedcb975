# Sourced by test.sh and bench.sh: a throw-away Redis and PostgreSQL of their own
# ($RUN_DIR, $REDIS_PORT, $PG_PORT), unless REDIS_URL / FLIGHTS_DATABASE_URL say otherwise.
# Sets started_infra=1 when it started them; infra_teardown stops them again.
started_infra=
infra_throwaway_up() {
  export PG_FAST=1 REDIS_APPENDONLY=no
  if [ -z "${REDIS_URL:-}" ] && [ -z "${FLIGHTS_DATABASE_URL:-}" ]; then
    scripts/infra.sh clean >/dev/null 2>&1 || true
    started_infra=1
    scripts/infra.sh up || return 1
    export REDIS_URL=redis://127.0.0.1:$REDIS_PORT
    export FLIGHTS_DATABASE_URL=postgres://skybook@127.0.0.1:$PG_PORT/flights_db
    export BOOKINGS_DATABASE_URL=postgres://skybook@127.0.0.1:$PG_PORT/bookings_db
  fi
}
# The URLs were exported for the tests; unset here so infra.sh stops and deletes what it started.
infra_teardown() { [ -n "$started_infra" ] && REDIS_URL= FLIGHTS_DATABASE_URL= BOOKINGS_DATABASE_URL= scripts/infra.sh clean >/dev/null 2>&1; return 0; }
