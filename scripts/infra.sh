#!/usr/bin/env bash
# Local Redis and PostgreSQL as plain processes, data under $RUN_DIR, listening on 127.0.0.1.
#   scripts/infra.sh up      start what is not running, wait until ready, create the databases
#   scripts/infra.sh down    stop what `up` started (by PID file)
#   scripts/infra.sh status
# Setting REDIS_URL, FLIGHTS_DATABASE_URL or BOOKINGS_DATABASE_URL means "use that server":
# nothing is started for it. Running `up` twice is harmless.
set -euo pipefail

cd "$(dirname "$0")/.."
RUN_DIR=${RUN_DIR:-.run}
REDIS_PORT=${REDIS_PORT:-6390}
PG_PORT=${PG_PORT:-5440}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=skybook
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
REDIS_DIR=$RUN_DIR/redis
PG_DATA=$RUN_DIR/pg

log() { echo "infra: $*"; }
die() { echo "infra: $*" >&2; exit 1; }

use_own_redis() { [ -z "${REDIS_URL:-}" ]; }
use_own_pg() { [ -z "${FLIGHTS_DATABASE_URL:-}" ] && [ -z "${BOOKINGS_DATABASE_URL:-}" ]; }

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing $* with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    # Debian's packages start a system-wide server; policy-rc.d keeps them from doing so.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    rm -f /usr/sbin/policy-rc.d
  else
    die "missing $*: install it with 'sudo apt-get install $*' (or set the *_URL variables to existing servers)"
  fi
}

ensure_binaries() {
  if use_own_redis && ! command -v redis-server >/dev/null; then apt_install redis-server; fi
  if use_own_pg && [ ! -x "$PG_BIN/pg_ctl" ]; then
    apt_install postgresql-15 || apt_install postgresql
    [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL binaries not found in $PG_BIN (set PG_BIN)"
  fi
}

# PostgreSQL refuses to run as root: as root, run it as the 'postgres' system user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(head -1 "$1")" 2>/dev/null; }

redis_up() {
  mkdir -p "$REDIS_DIR"
  if pid_alive "$REDIS_DIR/redis.pid"; then log "redis already running on $REDIS_PORT"; else
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$REDIS_DIR" \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
      --appendonly "${REDIS_APPENDONLY:-yes}" --save "" >/dev/null
  fi
  for _ in $(seq 1 100); do
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && { log "redis ready on 127.0.0.1:$REDIS_PORT"; return; }
    sleep 0.1
  done
  die "redis did not start; see $REDIS_DIR/redis.log"
}

pg_up() {
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || as_pg true; chown -R postgres "$PG_DATA"; chmod 700 "$PG_DATA"; }
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --auth=trust -E UTF8 --locale=C >/dev/null
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = ''"
      echo "max_connections = 300"
      echo "shared_buffers = 256MB"
      [ -n "${PG_FAST:-}" ] && { echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"; }
    } >>"$PG_DATA/postgresql.conf"
  fi
  if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then log "postgres already running"; else
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p $PG_PORT" -l "$PG_DATA/postgres.log" -w -t 60 start >/dev/null \
      || die "postgres did not start; see $PG_DATA/postgres.log"
  fi
  for _ in $(seq 1 100); do
    "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q && break
    sleep 0.1
  done
  for db in flights_db bookings_db; do
    if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$db"
    fi
  done
  log "postgres ready on 127.0.0.1:$PG_PORT (flights_db, bookings_db)"
}

redis_down() {
  if pid_alive "$REDIS_DIR/redis.pid"; then
    local pid; pid=$(head -1 "$REDIS_DIR/redis.pid")
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "redis stopped"
  fi
}

pg_down() {
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 && log "postgres stopped" || true
  fi
}

case "${1:-}" in
  up)
    ensure_binaries
    if use_own_redis; then redis_up; else log "using REDIS_URL"; fi
    if use_own_pg; then pg_up; else log "using FLIGHTS_DATABASE_URL / BOOKINGS_DATABASE_URL"; fi
    ;;
  down)
    if use_own_redis; then redis_down; fi
    if use_own_pg; then pg_down; fi
    ;;
  status)
    pid_alive "$REDIS_DIR/redis.pid" && echo "redis: running (port $REDIS_PORT)" || echo "redis: stopped"
    [ -f "$PG_DATA/postmaster.pid" ] && echo "postgres: running (port $PG_PORT)" || echo "postgres: stopped"
    ;;
  *) die "usage: $0 up|down|status" ;;
esac
