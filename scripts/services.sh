#!/usr/bin/env bash
# Brings up Postgres and Redis for development and tests: docker compose (postgres and redis services of
# docker-compose.yml) when a Docker engine answers, otherwise the machine's own binaries with data under
# .data/, listening on loopback only (apt-get installs them when missing and we are root).
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
  command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1
}

pg_bindir() {
  local d
  d=$(pg_config --bindir 2>/dev/null || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  return 1
}

# Postgres refuses to run as root, so when we are root the cluster belongs to the 'postgres' user
# (run from / so it never needs access to the caller's working directory).
as_pg() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The cluster lives in .data/pg unless we are root and the 'postgres' user cannot reach the checkout
# (a clone under /root, say); then it lives under /var/lib/bulwark, one directory per checkout.
pg_datadir() {
  if [ -n "${BULWARK_PG_DATA:-}" ]; then echo "$BULWARK_PG_DATA"; return; fi
  mkdir -p "$DATA"
  if is_root && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$DATA" 2>/dev/null; then
    echo "/var/lib/bulwark/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)/pg"
  else
    echo "$DATA/pg"
  fi
}

apt_install() {
  log "installing $* with apt-get"
  if [ -z "${BULWARK_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null
    export BULWARK_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_packages() {
  local missing=()
  pg_bindir >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if is_root && command -v apt-get >/dev/null 2>&1; then
    apt_install "${missing[@]}"
  else
    die "missing ${missing[*]}: install them (sudo apt-get install ${missing[*]}) or run a Docker engine"
  fi
}

start_pg() {
  local bin pgdata sockdir
  bin=$(pg_bindir)
  pgdata=$(pg_datadir)
  # Socket next to the data, unless that path is too long for a Unix socket.
  sockdir=$pgdata
  [ ${#sockdir} -gt 90 ] && sockdir=/tmp
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    log "initialising a Postgres cluster in $pgdata"
    mkdir -p "$pgdata"
    is_root && chown postgres:postgres "$pgdata"
    chmod 700 "$pgdata"
    as_pg "$bin/initdb" -D "$pgdata" -U bulwark --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    log "Postgres already running on 127.0.0.1:$PG_PORT"
    return
  fi
  if port_in_use "$PG_PORT"; then
    warn "something else already listens on 127.0.0.1:$PG_PORT; using it as Bulwark's Postgres"
    return
  fi
  is_root && chown postgres:postgres "$pgdata"
  as_pg "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $sockdir -c max_connections=200 -c fsync=${BULWARK_PG_FSYNC:-on}" start >/dev/null ||
    die "Postgres did not start (see $pgdata/server.log)"
  log "Postgres $("$bin/postgres" --version | awk '{print $3}') started on 127.0.0.1:$PG_PORT (data: ${pgdata#"$ROOT/"})"
}

redis_ping() {
  # No redis-cli dependency: speak the protocol with bash's /dev/tcp.
  { exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  local reply
  IFS= read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$reply" == +PONG* ]]
}

start_redis() {
  mkdir -p "$DATA/redis"
  if redis_ping; then
    log "Redis already running on 127.0.0.1:$REDIS_PORT"
    return
  fi
  # BullMQ needs noeviction; AOF keeps queued jobs across restarts.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes --dir "$DATA/redis" \
    --daemonize yes --pidfile "$DATA/redis/redis.pid" --logfile "$DATA/redis/redis.log" \
    --appendonly yes --maxmemory-policy noeviction >/dev/null
  for _ in $(seq 1 50); do redis_ping && break; sleep 0.1; done
  redis_ping || die "Redis did not start (see .data/redis/redis.log)"
  log "Redis started on 127.0.0.1:$REDIS_PORT"
}

stop_local() {
  local bin pgdata
  pgdata=$(pg_datadir)
  if bin=$(pg_bindir) && [ -s "$pgdata/PG_VERSION" ]; then
    if as_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null && log "Postgres stopped"
    fi
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
    if port_in_use "$PG_PORT"; then echo "postgres: up (127.0.0.1:$PG_PORT)"; else echo "postgres: down"; fi
    ;;
  *) die "usage: $0 start|stop|status" ;;
esac
