#!/usr/bin/env bash
# Brings up Postgres and Redis for development and tests: docker compose when a Docker engine answers,
# otherwise the machine's own binaries with data under .data/, listening on loopback only.
# Usage: scripts/services.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

PG_PORT=${BULWARK_PG_PORT:-54329}
REDIS_PORT=${BULWARK_REDIS_PORT:-63799}
DATA="$ROOT/.data"

docker_ok() {
  [ "${BULWARK_NO_DOCKER:-}" = "1" ] && return 1
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1
}

pg_bindir() {
  local d
  d=$(pg_config --bindir 2>/dev/null || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  return 1
}

# Postgres refuses to run as root, so when we are root the cluster belongs to the 'postgres' user.
as_pg() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ensure_packages() {
  local missing=()
  pg_bindir >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} with apt-get"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "missing ${missing[*]}: install them (sudo apt-get install ${missing[*]}) or run a Docker engine"
  fi
}

start_pg() {
  local bin; bin=$(pg_bindir)
  mkdir -p "$DATA"
  if [ ! -s "$DATA/pg/PG_VERSION" ]; then
    log "initialising Postgres cluster in .data/pg"
    mkdir -p "$DATA/pg"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$DATA/pg"
    chmod 700 "$DATA/pg"
    as_pg "$bin/initdb" -D "$DATA/pg" -U bulwark --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$DATA/pg" status >/dev/null 2>&1; then
    log "Postgres already running on 127.0.0.1:$PG_PORT"
  else
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$DATA/pg"
    # Socket directory inside the data dir so no system-wide path (/var/run/postgresql) is needed.
    as_pg "$bin/pg_ctl" -D "$DATA/pg" -l "$DATA/pg/server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $DATA/pg -c max_connections=200 -c fsync=${BULWARK_PG_FSYNC:-on}" start >/dev/null
    log "Postgres started on 127.0.0.1:$PG_PORT"
  fi
}

start_redis() {
  mkdir -p "$DATA/redis"
  if redis_ping; then
    log "Redis already running on 127.0.0.1:$REDIS_PORT"
    return
  fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes --dir "$DATA/redis" \
    --daemonize yes --pidfile "$DATA/redis/redis.pid" --logfile "$DATA/redis/redis.log" \
    --appendonly yes --maxmemory-policy noeviction >/dev/null
  for _ in $(seq 1 50); do redis_ping && break; sleep 0.1; done
  redis_ping || die "Redis did not start (see .data/redis/redis.log)"
  log "Redis started on 127.0.0.1:$REDIS_PORT"
}

redis_ping() {
  # No redis-cli dependency: speak the protocol with bash's /dev/tcp.
  { exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  local reply; IFS= read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$reply" == +PONG* ]]
}

stop_local() {
  local bin
  if bin=$(pg_bindir) && [ -s "$DATA/pg/PG_VERSION" ]; then
    as_pg "$bin/pg_ctl" -D "$DATA/pg" -m fast stop >/dev/null 2>&1 && log "Postgres stopped" || true
  fi
  if [ -f "$DATA/redis/redis.pid" ]; then
    kill "$(cat "$DATA/redis/redis.pid")" 2>/dev/null && log "Redis stopped" || true
    rm -f "$DATA/redis/redis.pid"
  fi
}

cmd=${1:-start}
case "$cmd" in
  start)
    if docker_ok; then
      log "Docker engine found: docker compose up postgres redis"
      docker compose up -d --wait postgres redis
    else
      ensure_packages
      start_pg
      start_redis
    fi
    ;;
  stop)
    if docker_ok; then docker compose stop postgres redis; fi
    stop_local
    ;;
  status)
    if redis_ping; then echo "redis: up (127.0.0.1:$REDIS_PORT)"; else echo "redis: down"; fi
    if { exec 4<>"/dev/tcp/127.0.0.1/$PG_PORT"; } 2>/dev/null; then exec 4>&-; echo "postgres: up (127.0.0.1:$PG_PORT)"; else echo "postgres: down"; fi
    ;;
  *) die "usage: $0 start|stop|status" ;;
esac
