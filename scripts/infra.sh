#!/usr/bin/env bash
# Local Redis and PostgreSQL as plain processes listening on 127.0.0.1, state under $RUN_DIR.
#   scripts/infra.sh up      start what is not running, wait until ready, create the databases;
#                            if anything fails, stop again what this call started
#   scripts/infra.sh down    stop what `up` started (by PID file)
#   scripts/infra.sh clean   down, then delete the data of $RUN_DIR and of every run folder in it
#   scripts/infra.sh status
# Setting REDIS_URL, FLIGHTS_DATABASE_URL or BOOKINGS_DATABASE_URL means "use that server":
# nothing is started for it. Running `up` twice is harmless.
#
# PostgreSQL refuses to run as root, so as root it runs as the 'postgres' system user. That user
# may not be able to enter the checkout (a clone in root's home or in a `mktemp -d` folder is
# mode 700), so its data directory then lives in a postgres-owned place keyed by the run folder,
# $PG_HOME/<key>/pg, and $RUN_DIR/pg.location points at it; the checkout's own permissions are
# never changed. `make clean` removes it.
set -euo pipefail

cd "$(dirname "$0")/.."
RUN_DIR=${RUN_DIR:-.run}
REDIS_PORT=${REDIS_PORT:-6390}
PG_PORT=${PG_PORT:-5440}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_HOME=${PG_HOME:-/var/lib/postgresql/skybook}
PG_USER=skybook
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
REDIS_DIR=$RUN_DIR/redis

# A closed stdout (`make run | tee log` after Ctrl-C) must not stop a shutdown half-way.
log() { echo "infra: $*" 2>/dev/null || true; }
die() { echo "infra: $*" >&2 2>/dev/null; exit 1; }

# A port that is no port would reach redis-server or pg_ctl, whose errors name neither setting.
check_port() {
  [[ $2 =~ ^[0-9]{1,5}$ ]] && [ "$((10#$2))" -ge 1 ] && [ "$((10#$2))" -le 65535 ] \
    || die "$1=$2: expected a port number from 1 to 65535"
}

is_root() { [ "$(id -u)" = 0 ]; }
use_own_redis() { [ -z "${REDIS_URL:-}" ]; }
use_own_pg() { [ -z "${FLIGHTS_DATABASE_URL:-}" ] && [ -z "${BOOKINGS_DATABASE_URL:-}" ]; }

pg_data_of() {
  if is_root; then
    echo "$PG_HOME/$(printf '%s' "$1" | sha256sum | cut -c1-16)/pg"
  else
    echo "$1/pg"
  fi
}
PG_DATA=${PG_DATA:-$(pg_data_of "$RUN_DIR")}

apt_install() {
  if is_root && command -v apt-get >/dev/null; then
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

# Runs a PostgreSQL binary as the user that owns the data: as root, the 'postgres' system user,
# from / since it may not enter the current folder.
as_pg() {
  if is_root; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Nothing listens on 127.0.0.1:$1 (bash's /dev/tcp: a connection that succeeds means taken).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [ -f "$1" ] && kill -0 "$(head -1 "$1")" 2>/dev/null; }
pg_running() { [ -f "$1/postmaster.pid" ] && kill -0 "$(head -1 "$1/postmaster.pid")" 2>/dev/null; }

started_redis=
started_pg=
# A failed `up` leaves nothing running that it started.
undo_failed_up() {
  local code=$?
  [ "$code" = 0 ] && return
  [ -n "$started_pg" ] && stop_pg "$PG_DATA"
  [ -n "$started_redis" ] && stop_redis "$REDIS_DIR/redis.pid"
  log "start failed; stopped what this call had started"
  exit "$code"
}

# A run folder's servers stay on the ports they were started on: another port asked for while
# they run is a second stack that needs a run folder of its own, not a server that "runs" there.
same_port() {
  [ "$2" = "$3" ] || die "the $1 of $RUN_DIR runs on port $2, not on $4=$3: stop it first (make down with the same RUN_DIR), or give a second stack a RUN_DIR of its own"
}
redis_port_of() { cat "$REDIS_DIR/port" 2>/dev/null || echo "$REDIS_PORT"; }
pg_port_of() { sed -n 4p "$1/postmaster.pid" 2>/dev/null; }

redis_up() {
  mkdir -p "$REDIS_DIR"
  if pid_alive "$REDIS_DIR/redis.pid"; then
    same_port redis "$(redis_port_of)" "$REDIS_PORT" REDIS_PORT
    log "redis already running on $REDIS_PORT"
  else
    port_free "$REDIS_PORT" || die "port $REDIS_PORT is taken by another program: set REDIS_PORT to a free port"
    started_redis=1
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$REDIS_DIR" \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
      --appendonly "${REDIS_APPENDONLY:-yes}" --save "" >/dev/null || die "redis did not start; see $REDIS_DIR/redis.log"
    echo "$REDIS_PORT" >"$REDIS_DIR/port"
  fi
  for _ in $(seq 1 100); do
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && { log "redis ready on 127.0.0.1:$REDIS_PORT"; return; }
    sleep 0.1
  done
  die "redis did not answer on port $REDIS_PORT; see $REDIS_DIR/redis.log"
}

pg_init() {
  mkdir -p "$PG_DATA"
  if is_root; then
    as_pg true
    echo "$PG_DATA" >"$RUN_DIR/pg.location"
    echo "$RUN_DIR" >"$(dirname "$PG_DATA")/run-dir"
    chown postgres "$PG_HOME" "$(dirname "$PG_DATA")" "$PG_DATA"
    chmod 700 "$PG_DATA"
  fi
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --auth=trust -E UTF8 --locale=C >/dev/null
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = ''"
    echo "max_connections = 300"
    echo "shared_buffers = 256MB"
    if [ -n "${PG_FAST:-}" ]; then echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"; fi
  } | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
}

pg_up() {
  [ -f "$PG_DATA/PG_VERSION" ] || pg_init
  if pg_running "$PG_DATA"; then
    same_port postgres "$(pg_port_of "$PG_DATA")" "$PG_PORT" PG_PORT
    log "postgres already running"
  else
    port_free "$PG_PORT" || die "port $PG_PORT is taken by another program: set PG_PORT to a free port"
    started_pg=1
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p $PG_PORT" -l "$PG_DATA/postgres.log" -w -t 60 start >/dev/null \
      || die "postgres did not start; see $PG_DATA/postgres.log"
  fi
  for _ in $(seq 1 100); do
    "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q && break
    sleep 0.1
  done
  for db in flights_db bookings_db users_db; do
    if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$db"
    fi
  done
  log "postgres ready on 127.0.0.1:$PG_PORT (flights_db, bookings_db, users_db)"
}

stop_redis() {
  if pid_alive "$1"; then
    local pid; pid=$(head -1 "$1")
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "redis stopped"
  fi
}

stop_pg() {
  if pg_running "$1"; then
    as_pg "$PG_BIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 && log "postgres stopped" || true
  fi
}

# Every run folder at or below $RUN_DIR (make test and make bench keep theirs inside .run/).
clean_all() {
  local f d
  while IFS= read -r f; do stop_redis "$f"; done < <(find "$RUN_DIR" -name redis.pid 2>/dev/null)
  while IFS= read -r f; do
    d=$(cat "$f")
    case $d in "$PG_HOME"/*/pg) stop_pg "$d"; rm -rf "$(dirname "$d")" ;; esac
  done < <(find "$RUN_DIR" -name pg.location 2>/dev/null)
  [ -d "$RUN_DIR/pg" ] && stop_pg "$RUN_DIR/pg"
  rm -rf "$RUN_DIR"
  log "removed $RUN_DIR and its databases"
}

case "${1:-}" in
  up)
    use_own_redis && check_port REDIS_PORT "$REDIS_PORT"
    use_own_pg && check_port PG_PORT "$PG_PORT"
    trap undo_failed_up EXIT
    ensure_binaries
    if use_own_redis; then redis_up; else log "using REDIS_URL"; fi
    if use_own_pg; then pg_up; else log "using FLIGHTS_DATABASE_URL / BOOKINGS_DATABASE_URL"; fi
    ;;
  down)
    if use_own_redis; then stop_redis "$REDIS_DIR/redis.pid"; fi
    if use_own_pg; then stop_pg "$PG_DATA"; fi
    ;;
  clean) clean_all ;;
  status)
    pid_alive "$REDIS_DIR/redis.pid" && echo "redis: running (port $(redis_port_of))" || echo "redis: stopped"
    pg_running "$PG_DATA" && echo "postgres: running (port $(pg_port_of "$PG_DATA"), data $PG_DATA)" || echo "postgres: stopped"
    ;;
  *) die "usage: $0 up|down|clean|status" ;;
esac
