#!/usr/bin/env bash
# A local Redis Cluster: redis-server in cluster mode on consecutive ports, joined with
# `redis-cli --cluster create`. Used by `make cluster-up`, the cluster tests and `make bench`.
#   scripts/redis-cluster.sh up      start the nodes (each once), create the cluster if new, wait for it
#   scripts/redis-cluster.sh down    stop the nodes (by PID file); CLUSTER_CLEAN=1 also deletes their data
#   scripts/redis-cluster.sh nodes   print host:port,... (REDIS_CLUSTER_NODES)
# CLUSTER_DIR       data, logs and PIDs (default .run/cluster/redis)
# CLUSTER_PORT      the first node's port (default 7001); node i listens on CLUSTER_PORT + i
# CLUSTER_BUS_PORT  the first node's cluster bus port (default CLUSTER_PORT + 10000)
# CLUSTER_MASTERS   masters (default 3; at least 3)   CLUSTER_REPLICAS  replicas per master (default 1)
# CLUSTER_NODE_TIMEOUT_MS  how long a master may be silent before its replica takes over (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER_DIR=${CLUSTER_DIR:-.run/cluster/redis}
CLUSTER_PORT=${CLUSTER_PORT:-7001}
CLUSTER_BUS_PORT=${CLUSTER_BUS_PORT:-$((CLUSTER_PORT + 10000))}
CLUSTER_MASTERS=${CLUSTER_MASTERS:-3}
CLUSTER_REPLICAS=${CLUSTER_REPLICAS:-1}
CLUSTER_NODE_TIMEOUT_MS=${CLUSTER_NODE_TIMEOUT_MS:-2000}
COUNT=$((CLUSTER_MASTERS * (CLUSTER_REPLICAS + 1)))
mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR=$(cd "$CLUSTER_DIR" && pwd)

log() { echo "redis-cluster: $*" 2>/dev/null || true; }
die() { echo "redis-cluster: $*" >&2 2>/dev/null; exit 1; }
port_of() { echo $((CLUSTER_PORT + $1)); }
pid_alive() { [ -f "$1" ] && kill -0 "$(head -1 "$1")" 2>/dev/null; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

nodes() {
  local out=() i
  for ((i = 0; i < COUNT; i++)); do out+=("127.0.0.1:$(port_of "$i")"); done
  (IFS=,; echo "${out[*]}")
}

cluster_ok() {
  local i
  for ((i = 0; i < COUNT; i++)); do
    redis-cli -p "$(port_of "$i")" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
  done
}

up() {
  [ "$CLUSTER_MASTERS" -ge 3 ] || die "CLUSTER_MASTERS=$CLUSTER_MASTERS: Redis Cluster needs at least 3 masters"
  command -v redis-server >/dev/null || die "redis-server is missing: install it with 'sudo apt-get install redis-server'"
  local i port dir started=0
  for ((i = 0; i < COUNT; i++)); do
    port=$(port_of "$i")
    dir=$CLUSTER_DIR/$port
    mkdir -p "$dir"
    if pid_alive "$dir/redis.pid"; then continue; fi
    port_free "$port" || die "port $port is taken by another program: set CLUSTER_PORT"
    redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-port $((CLUSTER_BUS_PORT + i)) \
      --cluster-node-timeout "$CLUSTER_NODE_TIMEOUT_MS" --cluster-require-full-coverage no \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
      --appendonly "${REDIS_APPENDONLY:-yes}" --save "" >/dev/null || die "node $port did not start; see $dir/redis.log"
    started=$((started + 1))
  done
  for ((i = 0; i < COUNT; i++)); do
    port=$(port_of "$i")
    for _ in $(seq 1 100); do
      redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
      sleep 0.1
    done
    redis-cli -p "$port" ping 2>/dev/null | grep -q PONG || die "node $port did not answer; see $CLUSTER_DIR/$port/redis.log"
  done
  # A node that knows only itself has never joined: the cluster is new.
  if [ "$(redis-cli -p "$CLUSTER_PORT" cluster info | sed -n 's/^cluster_known_nodes:\([0-9]*\).*/\1/p')" = 1 ]; then
    redis-cli --cluster create $(nodes | tr , ' ') --cluster-replicas "$CLUSTER_REPLICAS" --cluster-yes >"$CLUSTER_DIR/create.log" 2>&1 ||
      die "redis-cli --cluster create failed; see $CLUSTER_DIR/create.log"
  fi
  for _ in $(seq 1 200); do
    if cluster_ok; then
      log "$CLUSTER_MASTERS masters, $CLUSTER_REPLICAS replica(s) each, ready on $(nodes) (started $started)"
      return
    fi
    sleep 0.1
  done
  die "the cluster did not reach state ok; see $CLUSTER_DIR/*/redis.log"
}

down() {
  local i pidfile pid
  for ((i = 0; i < COUNT; i++)); do
    pidfile=$CLUSTER_DIR/$(port_of "$i")/redis.pid
    pid_alive "$pidfile" || continue
    pid=$(head -1 "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  if [ "${CLUSTER_CLEAN:-}" = 1 ]; then rm -rf "$CLUSTER_DIR"; fi
  log "stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  nodes) nodes ;;
  *) die "usage: $0 up|down|nodes" ;;
esac
