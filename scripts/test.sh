#!/usr/bin/env bash
# `npm test`: the whole suite, exactly what CI runs (.ci/run). Installs what is missing (as root),
# starts Postgres and Redis, recreates the test databases, then runs typecheck + lint + unit and
# integration tests for every workspace, the seed tests, and the Playwright end-to-end tests against
# a production build. Stops at the first failing stage and ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

PG="postgresql://bulwark@127.0.0.1:${BULWARK_PG_PORT:-54329}"
REDIS_HOST=127.0.0.1
REDIS_PORT=${BULWARK_REDIS_PORT:-63799}
# Overridable so a second checkout on the same machine can test without touching this one's databases.
TEST_DB=${BULWARK_TEST_DB:-bulwark_test}
E2E_DB=${BULWARK_E2E_DB:-bulwark_e2e}
TEST_REDIS_DB=${BULWARK_TEST_REDIS_DB:-1}
E2E_REDIS_DB=${BULWARK_E2E_REDIS_DB:-2}
LOGS="$ROOT/.data/test-logs"
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log

PASSED=0
FAILED=0
STAGE=""
SUITE_START=$(date +%s)

finish() {
  local rc=$?
  set +e
  if [ "$rc" -ne 0 ] && [ "$FAILED" -eq 0 ]; then FAILED=1; fi # a failed stage with no parsed test failures counts once
  if [ "$rc" -ne 0 ]; then
    printf '%s[bulwark] FAILED at stage "%s" (exit %s) after %ss; full output in .data/test-logs/%s%s\n' \
      "$C_ERR" "$STAGE" "$rc" "$(($(date +%s) - SUITE_START))" "$(slug "$STAGE").log" "$C_OFF" >&2
  else
    printf '%s[bulwark] all stages passed in %ss%s\n' "$C_OK" "$(($(date +%s) - SUITE_START))" "$C_OFF" >&2
  fi
  echo "$PASSED passed, $FAILED failed"
  exit "$rc"
}
trap finish EXIT

slug() { printf '%s' "$1" | tr -c 'a-zA-Z0-9' '-' | tr -s '-' | sed 's/-$//'; }

# Runs one stage: output goes to the terminal and to .data/test-logs/<stage>.log; counts are parsed
# from it whether it passed or failed; a failure ends the run.
stage() {
  STAGE=$1; shift
  local logf start rc
  logf="$LOGS/$(slug "$STAGE").log"
  start=$(date +%s)
  step "$STAGE"
  set +e
  (set -e; "$@") 2>&1 | tee "$logf"
  rc=${PIPESTATUS[0]}
  set -e
  count_results "$logf"
  if [ "$rc" -ne 0 ]; then return "$rc"; fi
  log "$STAGE: ok ($(($(date +%s) - start))s)"
}

# Adds up vitest ("Tests  3 failed | 41 passed (44)") and Playwright ("  12 passed (31.2s)") summaries.
count_results() {
  local counts
  counts=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$1" | awk '
    /(^|[[:space:]:])Tests[[:space:]]+[0-9]+ (passed|failed|skipped)/ {
      for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
      next
    }
    /^[[:space:]]+[0-9]+ (passed|failed|flaky)/ {
      if ($2 ~ /^(passed|flaky)/) p += $1; else f += $1
    }
    END { printf "%d %d", p, f }')
  PASSED=$((PASSED + ${counts% *}))
  FAILED=$((FAILED + ${counts#* }))
}

install_missing() {
  local missing=() bindir=""
  bindir=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1 || true)
  [ -n "$bindir" ] && [ -x "$bindir/initdb" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  # Without recommends, chromium brings no fonts; headless pages still need one to lay text out.
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
  if [ ${#missing[@]} -eq 0 ]; then
    log "postgresql, redis-server and chromium are installed"
    return
  fi
  if is_root && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    export BULWARK_APT_UPDATED=1
  else
    die "missing ${missing[*]}: install them (sudo apt-get install -y ${missing[*]}) and run npm test again"
  fi
}

# Drops and recreates a database, then migrates it (and seeds it when asked).
reset_db() {
  recreate_db "$1"
  DATABASE_URL="$1" npx tsx scripts/migrate.ts
  if [ "${2:-}" = "seed" ]; then DATABASE_URL="$1" npx tsx prisma/seed.ts; fi
}

flush_redis() {
  local db reply
  for db in "$@"; do
    reply=$(redis_cmd "$REDIS_HOST" "$REDIS_PORT" "$db" FLUSHDB) || die "Redis at $REDIS_HOST:$REDIS_PORT did not answer"
    [ "$reply" = "+OK" ] || die "FLUSHDB on Redis db $db failed: $reply"
  done
  log "flushed Redis databases $*"
}

export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
export TEST_DATABASE_URL="$PG/$TEST_DB"
export DATABASE_URL="$TEST_DATABASE_URL"
export REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT/$TEST_REDIS_DB"
export NEXTAUTH_SECRET="bulwark-test-secret-not-for-production-0123456789"
export NEXTAUTH_URL="http://localhost:3100"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
export E2E_DATABASE_URL="$PG/$E2E_DB"
unset BULWARK_DEMO_PASSWORD

stage "prerequisites" require_node
stage "system packages" install_missing
stage "dependencies" ensure_deps
stage "services" bash scripts/services.sh start
stage "test database" reset_db "$TEST_DATABASE_URL"
stage "redis" flush_redis "$TEST_REDIS_DB" "$E2E_REDIS_DB"
stage "prisma client" npm run db:generate
# One task at a time: the integration tests of every workspace share one database. Loose env mode so
# TEST_DATABASE_URL and friends reach the tests (turbo's strict mode passes only turbo.json's list).
stage "typecheck, lint and tests (all workspaces)" npx turbo run typecheck lint test --concurrency=1 --env-mode=loose --output-logs=new-only
stage "seed: typecheck, lint and tests" bash -c 'npx tsc -p prisma/tsconfig.json && npx eslint prisma && npx vitest run --config prisma/vitest.config.ts'
stage "benchmarks: typecheck and lint" bash -c 'npx tsc -p bench/tsconfig.json && npx eslint bench'

# End to end: a production build against a freshly seeded database, driven by Playwright (config at
# the repository root; it starts the server itself).
export DATABASE_URL="$E2E_DATABASE_URL"
export REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT/$E2E_REDIS_DB"
export E2E_REDIS_URL="$REDIS_URL"
stage "e2e database" reset_db "$E2E_DATABASE_URL" seed
[ -f playwright.config.ts ] || { STAGE="e2e"; die "playwright.config.ts is missing at the repository root"; }
stage "build web" npx turbo run build --filter=@bulwark/web --env-mode=loose --output-logs=new-only
stage "e2e (playwright)" npx playwright test --reporter=list
