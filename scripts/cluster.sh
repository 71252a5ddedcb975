#!/usr/bin/env bash
# The scaled-out system on this machine, from the built code (dist/):
#   scripts/cluster.sh up     a Redis Cluster (3 masters + 3 replicas, scripts/redis-cluster.sh),
#                             PostgreSQL (scripts/infra.sh), migrations, demo data if empty, two
#                             instances of every service, and nginx in front of each service on
#                             its usual port, plus one public address (GATEWAY_PORT) that routes
#                             /api/... to the services and serves /status (the instances behind it)
#   scripts/cluster.sh down   stops what `up` started
#   scripts/cluster.sh restart [SERVICE...]   a rolling restart of every instance (of the services
#                             named), one at a time, each ready before the next; builds first
#   scripts/cluster.sh status
#   scripts/cluster.sh nginx-conf writes the nginx configuration `up` runs and prints its path
#   scripts/cluster.sh nginx-install installs nginx if it is missing (as `up` does)
#   scripts/cluster.sh run CMD... runs CMD with the cluster's addresses (`make reconcile`, `user`,
#                             `seed`, `mcp-http`...: on their own they use `make up`'s stores)
# State, logs and PIDs live under $CLUSTER_RUN_DIR (default .run/cluster) with the same rules as
# `make up` (as root from a mode-700 folder too: PostgreSQL runs as 'postgres' from its own place,
# see infra.sh; nginx's workers touch nothing in the folder). A start that fails stops again
# everything it started.
# Ports: FLIGHT_PORT, BOOKING_PORT, PAYMENT_PORT, USER_PORT (nginx; 8080-8083), GATEWAY_PORT
# (8088), CLUSTER_INSTANCE_PORT (8180: instance j of service i listens on it + 2 i + j),
# CLUSTER_REDIS_PORT (7001..7006, bus ports +10000), CLUSTER_PG_PORT (5450).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUN_DIR=${CLUSTER_RUN_DIR:-.run/cluster}
mkdir -p "$RUN_DIR/logs"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
export AUTH_KEY_DIR=${AUTH_KEY_DIR:-$RUN_DIR/keys}
SERVICES=(flight-svc booking-svc payment-mock user-svc)
PUBLIC_PORTS=("${FLIGHT_PORT:-8080}" "${BOOKING_PORT:-8081}" "${PAYMENT_PORT:-8082}" "${USER_PORT:-8083}")
PORT_VARS=(FLIGHT_PORT BOOKING_PORT PAYMENT_PORT USER_PORT)
GATEWAY_PORT=${GATEWAY_PORT:-8088}
INSTANCE_PORT=${CLUSTER_INSTANCE_PORT:-8180}
INSTANCES=2
# How long a stopping instance serves on, closing each connection after its answer, before its
# port closes (SHUTDOWN_DRAIN_MS, lib/server.ts): so a rolling restart loses no request.
INSTANCE_DRAIN_MS=3000
export CLUSTER_DIR=$RUN_DIR/redis CLUSTER_PORT=${CLUSTER_REDIS_PORT:-7001} CLUSTER_MASTERS=3 CLUSTER_REPLICAS=1
export PG_PORT=${CLUSTER_PG_PORT:-5450}
NGINX_DIR=$RUN_DIR/nginx

log() { echo "cluster: $*" 2>/dev/null || true; }
die() { echo "cluster: $*" >&2 2>/dev/null; exit 1; }
instance_port() { echo $((INSTANCE_PORT + INSTANCES * $1 + $2)); }
pid_alive() { [ -f "$1" ] && kill -0 "$(head -1 "$1")" 2>/dev/null; }
is_root() { [ "$(id -u)" = 0 ]; }

# The environment every instance shares: the cluster, PostgreSQL, and the other services
# through nginx (a caller never names one instance).
export_env() {
  REDIS_CLUSTER_NODES=$(scripts/redis-cluster.sh nodes)
  # infra.sh starts no Redis of its own when REDIS_URL is set; the cluster client does not use it.
  export REDIS_CLUSTER_NODES REDIS_URL=redis://127.0.0.1:$CLUSTER_PORT
}

# After infra.sh up: a database URL set before it would mean "use that server, start none".
export_db_env() {
  export FLIGHTS_DATABASE_URL=postgres://skybook@127.0.0.1:$PG_PORT/flights_db
  export BOOKINGS_DATABASE_URL=postgres://skybook@127.0.0.1:$PG_PORT/bookings_db
  export USERS_DATABASE_URL=postgres://skybook@127.0.0.1:$PG_PORT/users_db
  export FLIGHT_SERVICE_URL=http://127.0.0.1:${PUBLIC_PORTS[0]}
  export PAYMENT_SERVICE_URL=http://127.0.0.1:${PUBLIC_PORTS[2]}
  export USER_SERVICE_URL=http://127.0.0.1:${PUBLIC_PORTS[3]}
}

ensure_nginx() {
  command -v nginx >/dev/null && return
  is_root && command -v apt-get >/dev/null || die "nginx is missing: install it with 'sudo apt-get install nginx'"
  log "installing nginx with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # Debian's package starts a system-wide nginx on port 80; policy-rc.d keeps it from doing so.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends nginx >/dev/null
  rm -f /usr/sbin/policy-rc.d
}

# A location's body that proxies to upstream $1. flight-svc's and payment-mock's writes are
# booking-svc's, each named by a hold id or an Idempotency-Key, so a write sent to an instance that
# died before answering may be sent again to the other. booking-svc's and user-svc's are people's
# (a booking without an Idempotency-Key, an admin's miles adjustment, a refresh token): sent again
# they happen twice (two bookings, two charges), so only a request with an Idempotency-Key is;
# the others answer 502 and the caller looks before trying again. A request that never reached
# the dead instance (connection refused) goes to the other one either way.
proxy_to() {
  case $1 in
    booking_svc | user_svc)
      echo "proxy_next_upstream error timeout http_502 http_504; recursive_error_pages on; error_page 418 = @${1}_keyed; error_page 502 504 = @cut_off; if (\$http_idempotency_key) { return 418; } proxy_pass http://$1;"
      ;;
    *) echo "proxy_pass http://$1;" ;;
  esac
}
# The named locations proxy_to sends to, for a server whose locations proxy to upstreams "$@".
keyed_locations() {
  local u
  for u in "$@"; do
    case $u in
      booking_svc | user_svc)
        printf '    location @%s_keyed { error_page 502 504 = @cut_off; proxy_pass http://%s; }\\n' "$u" "$u"
        cut_off=1
        ;;
    esac
  done
  # A request cut off by nginx (the instance died or did not answer in time) answers JSON, as
  # every error of the API does.
  [ -n "${cut_off:-}" ] && printf '%s\\n' "    location @cut_off { default_type application/json; return 502 '{\"error\":\"bad_gateway\",\"message\":\"The service stopped before it answered, so the request may have been carried out: look before trying it again, or send an Idempotency-Key to make a retry safe.\"}\\n'; }"
  return 0
}

write_nginx_conf() {
  mkdir -p "$NGINX_DIR"
  local i j name upstreams="" servers="" status_rows="" status_locations=""
  for i in "${!SERVICES[@]}"; do
    name=${SERVICES[$i]//-/_}
    upstreams+="  upstream $name {\n"
    for ((j = 0; j < INSTANCES; j++)); do
      # payment-mock stands in for an outside provider and keeps its payments in memory: its
      # second instance only answers while the first is down (a provider that fails over).
      backup=""
      [ "${SERVICES[$i]}" = payment-mock ] && [ "$j" -gt 0 ] && backup=" backup"
      upstreams+="    server 127.0.0.1:$(instance_port "$i" "$j") max_fails=1 fail_timeout=2s$backup;\n"
      status_locations+="    location = /status/${SERVICES[$i]}-$((j + 1)) { proxy_pass http://127.0.0.1:$(instance_port "$i" "$j")/health; }\n"
      status_rows+="<li>${SERVICES[$i]} instance $((j + 1)) (127.0.0.1:$(instance_port "$i" "$j")): <a href=\"/status/${SERVICES[$i]}-$((j + 1))\">/health</a></li>"
    done
    # Shorter than the instances' SHUTDOWN_DRAIN_MS (INSTANCE_DRAIN_MS): a connection nginx left
    # idle through a stopping instance's whole drain is closed by nginx, never under a request.
    upstreams+="    keepalive 32;\n    keepalive_timeout 2s;\n  }\n"
    servers+="  server {\n    listen 127.0.0.1:${PUBLIC_PORTS[$i]};\n    location / { $(proxy_to "$name") }\n$(keyed_locations "$name")  }\n"
  done
  # A connection error or a 502/504 of one instance is retried on the other (at most once,
  # within the same request), so a killed instance costs no request that it had not started;
  # which writes it had started are sent again is proxy_to's rule.
  # Not a 503: that is an instance saying a dependency (Redis, PostgreSQL) is away, which the
  # other instance shares; counted as a failure it would take both out of nginx for fail_timeout.
  printf '%b' "worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/client_body;
  proxy_temp_path $NGINX_DIR/proxy;
  fastcgi_temp_path $NGINX_DIR/fastcgi;
  uwsgi_temp_path $NGINX_DIR/uwsgi;
  scgi_temp_path $NGINX_DIR/scgi;
  client_body_buffer_size 1m;
  proxy_buffering off;
  proxy_request_buffering off;
  proxy_http_version 1.1;
  # A WebSocket (user-svc's /api/updates) needs its Upgrade passed on; any other request keeps
  # the upstream connection alive (no Connection header).
  map \$http_upgrade \$connection_upgrade { default upgrade; \"\" \"\"; }
  proxy_set_header Upgrade \$http_upgrade;
  proxy_set_header Connection \$connection_upgrade;
  proxy_set_header Host \$host;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_next_upstream error timeout http_502 http_504 non_idempotent;
  proxy_next_upstream_tries 2;
  proxy_connect_timeout 1s;
  proxy_read_timeout 60s;
$upstreams$servers  server {
    listen 127.0.0.1:$GATEWAY_PORT;
    location /api/flights { $(proxy_to flight_svc) }
    location /api/admin { $(proxy_to flight_svc) }
    location /api/seat-assignments { $(proxy_to flight_svc) }
    location /api/bookings { $(proxy_to booking_svc) }
    location /api/payments { $(proxy_to payment_mock) }
    location /api/boarding-passes { $(proxy_to booking_svc) }
    location /api/auth { $(proxy_to user_svc) }
    location /api/users { $(proxy_to user_svc) }
    location /api/loyalty { $(proxy_to user_svc) }
    location /api/subscriptions { $(proxy_to user_svc) }
    location /api/updates { $(proxy_to user_svc) }
    location = /.well-known/jwks.json { proxy_pass http://user_svc; }
    location / { default_type application/json; return 404 '{\"error\":\"not_found\",\"message\":\"No route here: the gateway serves the API under /api/ and /.well-known/jwks.json; each service serves /health, /docs and /metrics on its own port.\"}\\n'; }
$(keyed_locations booking_svc user_svc)    location = /status {
      default_type text/html;
      return 200 '<!doctype html><title>Skybook instances</title><h1>Instances behind nginx</h1><ul>$status_rows</ul>';
    }
$status_locations  }
}
" >"$NGINX_DIR/nginx.conf"
}

# Instance j (0-based) of service i, under its supervisor, whose PID goes where `down` looks.
start_instance() {
  local i=$1 j=$2 name=${SERVICES[$1]}-$(($2 + 1))
  # The supervisors' PIDs sit in $RUN_DIR, the service processes' own in instances/ (what a
  # failover drill kills: the supervisor then starts the instance again).
  mkdir -p "$RUN_DIR/instances"
  # nginx's X-Forwarded-For names the client (user-svc limits logins per client address).
  env "${PORT_VARS[$i]}=$(instance_port "$i" "$j")" TRUSTED_PROXIES=127.0.0.1 SHUTDOWN_DRAIN_MS=$INSTANCE_DRAIN_MS \
    scripts/supervise.sh --pid-file "$RUN_DIR/instances/$name.pid" "$name" node "dist/${SERVICES[$i]}/server.js" \
    >>"$RUN_DIR/logs/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

# Waits up to 30 s for instance j of service i to answer 200 on $3 (/health, or /ready: its stores too).
wait_instance() {
  local i=$1 j=$2 path=$3 port
  port=$(instance_port "$i" "$j")
  for _ in $(seq 1 150); do curl -fsS -m 1 "http://127.0.0.1:$port$path" >/dev/null 2>&1 && return 0; sleep 0.2; done
  tail -n 15 "$RUN_DIR/logs/${SERVICES[$i]}-$((j + 1)).log" >&2
  die "${SERVICES[$i]} instance $((j + 1)) (port $port) does not answer $path"
}

start_instances() {
  local i j
  for i in "${!SERVICES[@]}"; do
    for ((j = 0; j < INSTANCES; j++)); do
      # A second `up` (to bring back a Redis node, say) keeps the running instances: a new
      # supervisor would fail on the taken port and put its PID where `down` looks for this one's.
      if pid_alive "$RUN_DIR/${SERVICES[$i]}-$((j + 1)).pid"; then
        log "${SERVICES[$i]}-$((j + 1)) already running"
        continue
      fi
      start_instance "$i" "$j"
    done
  done
  for i in "${!SERVICES[@]}"; do
    for ((j = 0; j < INSTANCES; j++)); do wait_instance "$i" "$j" /health; done
  done
}

# Stops one supervisor (SIGTERM: it stops its service, which drains first) and waits for it.
stop_supervisor() {
  local f=$1 pid
  if pid=$(cat "$f" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    log "$(basename "$f" .pid) stopped"
  fi
  rm -f "$f"
}

stop_instances() {
  local f
  for f in "$RUN_DIR"/*.pid; do
    [ -f "$f" ] || continue
    stop_supervisor "$f"
  done
}

# A rolling restart (a deploy of the code as built now): one instance at a time, each stopped
# (it drains, SHUTDOWN_DRAIN_MS), started again and ready before the next, so nginx always has
# the other one. The build comes first: a build that fails restarts nothing.
restart() {
  local i j s want=("$@") chosen=()
  for s in "${want[@]}"; do
    [[ " ${SERVICES[*]} " == *" $s "* ]] ||
      { echo "cluster: unknown service '$s'; usage: $0 restart [${SERVICES[*]}]" >&2; exit 2; }
  done
  pid_alive "$NGINX_DIR/nginx.pid" || die "the cluster is not running: make cluster-up"
  for i in "${!SERVICES[@]}"; do
    if [ ${#want[@]} = 0 ] || [[ " ${want[*]} " == *" ${SERVICES[$i]} "* ]]; then chosen+=("$i"); fi
  done
  scripts/build.sh
  export_env
  export_db_env
  for i in "${chosen[@]}"; do
    for ((j = 0; j < INSTANCES; j++)); do
      stop_supervisor "$RUN_DIR/${SERVICES[$i]}-$((j + 1)).pid"
      start_instance "$i" "$j"
      wait_instance "$i" "$j" /ready
      log "${SERVICES[$i]}-$((j + 1)) restarted and ready"
    done
  done
}

stop_nginx() {
  pid_alive "$NGINX_DIR/nginx.pid" || return 0
  local pid
  pid=$(cat "$NGINX_DIR/nginx.pid")
  kill -QUIT "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  log "nginx stopped"
}

down() {
  set +e
  stop_nginx
  stop_instances
  scripts/redis-cluster.sh down
  REDIS_URL=redis://unused FLIGHTS_DATABASE_URL= BOOKINGS_DATABASE_URL= scripts/infra.sh down
  return 0
}

up() {
  trap 'code=$?; trap - EXIT; if [ "$code" != 0 ]; then log "start failed; stopping what it started"; down; fi; exit "$code"' EXIT
  [ -d node_modules ] || npm ci --no-audit --no-fund
  ensure_nginx
  scripts/build.sh
  scripts/redis-cluster.sh up
  export_env
  FLIGHTS_DATABASE_URL= BOOKINGS_DATABASE_URL= scripts/infra.sh up
  export_db_env
  node dist/scripts/migrate.js
  node dist/scripts/seed-if-empty.js
  node dist/scripts/user.js --demo
  start_instances
  write_nginx_conf
  nginx -t -q -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -g 'daemon on;' 2>"$NGINX_DIR/test.log" ||
    { cat "$NGINX_DIR/test.log" >&2; die "the nginx configuration was refused"; }
  pid_alive "$NGINX_DIR/nginx.pid" || nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -g 'daemon on;'
  for i in "${!SERVICES[@]}"; do
    for _ in $(seq 1 50); do curl -fsS -m 1 "http://127.0.0.1:${PUBLIC_PORTS[$i]}/health" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -fsS -m 1 "http://127.0.0.1:${PUBLIC_PORTS[$i]}/health" >/dev/null 2>&1 ||
      die "nginx does not answer for ${SERVICES[$i]} on port ${PUBLIC_PORTS[$i]}; see $NGINX_DIR/error.log"
  done
  trap - EXIT
  log "Redis Cluster $REDIS_CLUSTER_NODES"
  for i in "${!SERVICES[@]}"; do
    log "$(printf '%-12s' "${SERVICES[$i]}") http://127.0.0.1:${PUBLIC_PORTS[$i]} (nginx) -> 127.0.0.1:$(instance_port "$i" 0), 127.0.0.1:$(instance_port "$i" 1)"
  done
  log "gateway      http://127.0.0.1:$GATEWAY_PORT/api/...  instances: http://127.0.0.1:$GATEWAY_PORT/status"
}

status() {
  local f
  scripts/redis-cluster.sh nodes
  for f in "$RUN_DIR"/*.pid "$NGINX_DIR/nginx.pid"; do
    [ -f "$f" ] || continue
    if pid_alive "$f"; then echo "$(basename "$f" .pid): running"; else echo "$(basename "$f" .pid): stopped"; fi
  done
}

# The data scripts and the MCP server take the URLs that are set over their ports' defaults
# (scripts/local-env.sh), so these reach the cluster, not the Redis and PostgreSQL of `make up`.
run() {
  [ $# -gt 0 ] || die "usage: $0 run COMMAND [ARGS...]"
  export_env
  export_db_env
  export BOOKING_SERVICE_URL=http://127.0.0.1:${PUBLIC_PORTS[1]}
  exec "$@"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  restart) shift && restart "$@" ;;
  status) status ;;
  nginx-conf) write_nginx_conf && echo "$NGINX_DIR/nginx.conf" ;;
  nginx-install) ensure_nginx ;;
  run) shift && run "$@" ;;
  *) die "usage: $0 up|down|restart [SERVICE...]|status|nginx-conf|nginx-install|run COMMAND..." ;;
esac
