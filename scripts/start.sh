#!/usr/bin/env bash
# `npm start`: from a fresh clone to a running Bulwark at http://localhost:3000 (web + worker), with demo
# data. Safe to re-run: every step is idempotent. Ctrl-C stops web and worker; Postgres and Redis keep
# running (npm run services:stop).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

trap_children

prepare_app

step "building the web app (turbo caches unchanged builds)"
npx turbo run build --filter=@bulwark/web --env-mode=loose --output-logs=new-only

step "starting web and worker"
if port_in_use "$PORT"; then
  die "port $PORT is already in use$(d=$(describe_port "$PORT"); [ -n "$d" ] && echo " by $d"). Stop that process or set PORT (and NEXTAUTH_URL) in .env."
fi
start_child web 35 npm run --silent start -w @bulwark/web
start_child worker 33 npm run --silent start -w @bulwark/worker
wait_for_health "$PORT" 180
banner "http://localhost:$PORT" "production build"
supervise
