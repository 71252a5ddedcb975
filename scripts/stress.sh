#!/usr/bin/env bash
# `make stress-test ARGS="..."`: the stress harness (stress/cli.ts).
# Targets STRESS_FLIGHT_URL / STRESS_BOOKING_URL / STRESS_PAYMENT_URL / STRESS_USER_URL (default
# 127.0.0.1 and FLIGHT_PORT / BOOKING_PORT / PAYMENT_PORT / USER_PORT, else 8080-8083). When they
# do not answer GET /health and point at this machine, it starts the system (Redis and PostgreSQL
# on REDIS_PORT / PG_PORT unless *_URL name servers, then scripts/services.sh up in RUN_DIR:
# build, migrations, demo data, the four services from dist/) with short timeouts, so that
# payment timeouts and pending bookings settle within seconds, makes an admin account for the
# run with scripts/user.ts (as an operator does), and at the end stops what it started. Against
# running services, STRESS_ADMIN_USERNAME / STRESS_ADMIN_PASSWORD name an admin.
# With --topology cluster the system is the one of `make cluster-up` (scripts/cluster.sh, under
# CLUSTER_RUN_DIR with its CLUSTER_* ports): used when it answers, else started with the same
# short timeouts and stopped at the end; the checks read its Redis Cluster and PostgreSQL, and
# the run's admin account is made there. The failover scenario kills by its PID files.
# Only the report goes to stdout (--json: the JSON).
set -uo pipefail
cd "$(dirname "$0")/.."

topology=single
prev=
for a in "$@"; do
  case $a in --topology=*) topology=${a#--topology=} ;; esac
  [ "$prev" = --topology ] && topology=$a
  prev=$a
done
if [ "$topology" = cluster ]; then
  # The same folder and ports as scripts/cluster.sh.
  export CLUSTER_RUN_DIR=${CLUSTER_RUN_DIR:-.run/cluster}
  export RUN_DIR=$CLUSTER_RUN_DIR AUTH_KEY_DIR=${AUTH_KEY_DIR:-$CLUSTER_RUN_DIR/keys}
  export STRESS_CLUSTER_RUN_DIR=$CLUSTER_RUN_DIR STRESS_CLUSTER_INSTANCE_PORT=${CLUSTER_INSTANCE_PORT:-8180}
  cluster_redis_port=${CLUSTER_REDIS_PORT:-7001}
  REDIS_CLUSTER_NODES=$(CLUSTER_DIR=$CLUSTER_RUN_DIR/redis CLUSTER_PORT=$cluster_redis_port scripts/redis-cluster.sh nodes)
  export REDIS_CLUSTER_NODES REDIS_URL=redis://127.0.0.1:$cluster_redis_port
  cluster_pg=postgres://skybook@127.0.0.1:${CLUSTER_PG_PORT:-5450}
  export FLIGHTS_DATABASE_URL=$cluster_pg/flights_db BOOKINGS_DATABASE_URL=$cluster_pg/bookings_db USERS_DATABASE_URL=$cluster_pg/users_db
fi
export RUN_DIR=${RUN_DIR:-.run}
# Where user-svc keeps its key and booking-svc's client secret (as scripts/services.sh sets it):
# the harness reads payments by key and books seats up front with that service credential.
export AUTH_KEY_DIR=${AUTH_KEY_DIR:-$RUN_DIR/keys}
export STRESS_FLIGHT_URL=${STRESS_FLIGHT_URL:-http://127.0.0.1:${FLIGHT_PORT:-8080}}
export STRESS_BOOKING_URL=${STRESS_BOOKING_URL:-http://127.0.0.1:${BOOKING_PORT:-8081}}
export STRESS_PAYMENT_URL=${STRESS_PAYMENT_URL:-http://127.0.0.1:${PAYMENT_PORT:-8082}}
export STRESS_USER_URL=${STRESS_USER_URL:-http://127.0.0.1:${USER_PORT:-8083}}
URLS=("$STRESS_FLIGHT_URL" "$STRESS_BOOKING_URL" "$STRESS_PAYMENT_URL" "$STRESS_USER_URL")

. scripts/infra-env.sh
. scripts/forward-term.sh
harness() { node --import tsx stress/cli.ts "$@"; }
for a in "$@"; do
  case $a in -h | --help | --list | --check) harness "$@"; exit $? ;; esac
done
# Bad flags or settings stop here, before anything is started.
harness --check "$@" || exit 2

healthy() {
  for u in "${URLS[@]}"; do curl -fsS -m 2 "$u/health" >/dev/null 2>&1 || return 1; done
}
is_local() { [[ $1 =~ ^https?://(127\.0\.0\.1|localhost)(:[0-9]+)?/?$ ]]; }
port_of() { local p=${1##*:}; echo "${p%/}"; }

started=
stop_infra=
finish() {
  [ -z "$started" ] && return
  if [ "$topology" = cluster ]; then
    scripts/cluster.sh down
    return
  fi
  scripts/services.sh stop
  # Redis and PostgreSQL only if this run started them (the URLs would make infra.sh skip them).
  [ -n "$stop_infra" ] && REDIS_URL= FLIGHTS_DATABASE_URL= BOOKINGS_DATABASE_URL= scripts/infra.sh down
} >&2
trap finish EXIT

# Short timeouts for the system this run starts (each can be overridden from the environment):
# booking-svc gives up on a payment after 0.5 s, payment-mock answers a timeout after 0.8 s,
# and the sweeper takes over an unfinished booking 8 s after it started.
short_timeouts() {
  export PAYMENT_TIMEOUT_MS=${PAYMENT_TIMEOUT_MS:-500} PAYMENT_TIMEOUT_DELAY_MS=${PAYMENT_TIMEOUT_DELAY_MS:-800}
  export FLIGHT_TIMEOUT_MS=${FLIGHT_TIMEOUT_MS:-2000}
  export BOOKING_PENDING_DEADLINE_SECONDS=${BOOKING_PENDING_DEADLINE_SECONDS:-8} BOOKING_SWEEP_MS=${BOOKING_SWEEP_MS:-250}
  export HOLD_SWEEP_MS=${HOLD_SWEEP_MS:-250} LOG_LEVEL=${LOG_LEVEL:-warn}
  # The loyalty scenario's flights land seconds after its load: the flown job looks every second.
  export FLOWN_JOB_MS=${FLOWN_JOB_MS:-1000}
  # Back-to-back runs each sign in their customers and admin: more than 10 logins a minute.
  export LOGIN_RATE_LIMIT=${LOGIN_RATE_LIMIT:-1000}
}

# An operator's admin account for this run, made the way an operator makes one (make user).
make_admin() {
  export STRESS_ADMIN_USERNAME=${STRESS_ADMIN_USERNAME:-stress-admin}
  export STRESS_ADMIN_PASSWORD=${STRESS_ADMIN_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')x9}
  node dist/scripts/user.js --username "$STRESS_ADMIN_USERNAME" --password "$STRESS_ADMIN_PASSWORD" --role admin
}

start_cluster() {
  for u in "${URLS[@]}"; do
    is_local "$u" || { echo "stress: $u does not answer GET /health (and is not this machine: nothing to start)" >&2; return 1; }
  done
  started=1
  # Eight instances, six Redis nodes and nginx share the cores: flight-svc's answers take longer
  # (booking-svc's pending deadline must exceed PAYMENT_TIMEOUT_MS + 3 × FLIGHT_TIMEOUT_MS).
  export FLIGHT_TIMEOUT_MS=${FLIGHT_TIMEOUT_MS:-4000} BOOKING_PENDING_DEADLINE_SECONDS=${BOOKING_PENDING_DEADLINE_SECONDS:-14}
  short_timeouts
  echo "stress: the cluster topology does not answer; starting it (scripts/cluster.sh up, logs in $CLUSTER_RUN_DIR/logs)"
  scripts/cluster.sh up || return 1
  make_admin
} >&2

start_system() {
  for u in "${URLS[@]}"; do
    is_local "$u" || { echo "stress: $u does not answer GET /health (and is not this machine: nothing to start)" >&2; return 1; }
  done
  started=1
  if [ -z "${REDIS_URL:-}" ] && [ -z "${FLIGHTS_DATABASE_URL:-}" ] && [ -z "${BOOKINGS_DATABASE_URL:-}" ]; then
    infra_running || stop_infra=1
    scripts/infra.sh up || return 1
    # The services and the invariant checks use the servers infra.sh runs.
    infra_urls
  fi
  export FLIGHT_PORT=$(port_of "$STRESS_FLIGHT_URL") BOOKING_PORT=$(port_of "$STRESS_BOOKING_URL") \
    PAYMENT_PORT=$(port_of "$STRESS_PAYMENT_URL") USER_PORT=$(port_of "$STRESS_USER_URL")
  export FLIGHT_SERVICE_URL=${FLIGHT_SERVICE_URL:-$STRESS_FLIGHT_URL} PAYMENT_SERVICE_URL=${PAYMENT_SERVICE_URL:-$STRESS_PAYMENT_URL}
  short_timeouts
  echo "stress: the services do not answer; starting them (scripts/services.sh up, logs in $RUN_DIR/logs)"
  scripts/services.sh up || return 1
  make_admin
} >&2

# Ctrl-C while the system starts: scripts/services.sh stops what it started and ends 130; so does
# this run (the exit trap stops the rest), rather than report a failed start with status 2.
trap 'exit 130' INT
if healthy; then
  echo "stress: using the running services at ${URLS[*]}" >&2
  # The checks read those services' stores: where `make run` puts them (REDIS_PORT, PG_PORT)
  # unless REDIS_URL / *_DATABASE_URL name them.
  infra_urls
  # The cluster's PostgreSQL is this machine's: the run makes its own admin there.
  if [ "$topology" = cluster ] && [ -z "${STRESS_ADMIN_USERNAME:-}" ]; then make_admin >&2 || exit 2; fi
elif [ "$topology" = cluster ]; then
  start_cluster || { echo "stress: could not start the cluster topology" >&2; exit 2; }
else
  start_system || { echo "stress: could not start the system" >&2; exit 2; }
fi

# The harness restores payment-mock's config and reports what finished before the system this
# run started is stopped.
run_forwarding_term node --import tsx stress/cli.ts "$@"
