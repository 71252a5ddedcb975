# Sourced by the scripts that start Redis and PostgreSQL through infra.sh.
# infra_urls: the URLs of the servers infra.sh runs on $REDIS_PORT / $PG_PORT, for those the
# user did not name with REDIS_URL or FLIGHTS_DATABASE_URL / BOOKINGS_DATABASE_URL.
infra_urls() {
  if [ -z "${REDIS_URL:-}" ]; then export REDIS_URL=redis://127.0.0.1:${REDIS_PORT:-6390}; fi
  if [ -z "${FLIGHTS_DATABASE_URL:-}" ] && [ -z "${BOOKINGS_DATABASE_URL:-}" ]; then
    export FLIGHTS_DATABASE_URL=postgres://skybook@127.0.0.1:${PG_PORT:-5440}/flights_db
    export BOOKINGS_DATABASE_URL=postgres://skybook@127.0.0.1:${PG_PORT:-5440}/bookings_db
    export USERS_DATABASE_URL=postgres://skybook@127.0.0.1:${PG_PORT:-5440}/users_db
  fi
}

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
