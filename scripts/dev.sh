#!/usr/bin/env bash
# `npm run dev`: the same preparation as `npm start`, then `next dev` (hot reload) and the worker under
# `tsx watch`. Ctrl-C stops both; Postgres and Redis keep running (npm run services:stop).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

trap_children

prepare_app

step "starting next dev and the worker (tsx watch)"
start_child web 35 npm run --silent dev -w @bulwark/web
start_child worker 33 npm run --silent dev -w @bulwark/worker
wait_for_health "$PORT" 300
banner "http://localhost:$PORT" "development, hot reload"
supervise
