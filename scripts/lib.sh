# Shared helpers for the project's shell scripts (sourced, never run). Callers cd to the repository root
# and set ROOT first.

if [ -t 2 ]; then C_INFO=$'\033[36m' C_ERR=$'\033[31m' C_WARN=$'\033[33m' C_OK=$'\033[32m' C_OFF=$'\033[0m'; else C_INFO='' C_ERR='' C_WARN='' C_OK='' C_OFF=''; fi

log() { printf '%s[bulwark]%s %s\n' "$C_INFO" "$C_OFF" "$*" >&2; }
warn() { printf '%s[bulwark] warning:%s %s\n' "$C_WARN" "$C_OFF" "$*" >&2; }
die() { printf '%s[bulwark] error:%s %s\n' "$C_ERR" "$C_OFF" "$*" >&2; exit 1; }

STEP_NO=0
step() {
  STEP_NO=$((STEP_NO + 1))
  printf '%s[bulwark]%s %s▸ %d. %s%s\n' "$C_INFO" "$C_OFF" "$C_OK" "$STEP_NO" "$*" "$C_OFF" >&2
}

is_root() { [ "$(id -u)" = "0" ]; }

# --- Node and dependencies -------------------------------------------------------------------------

require_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20.9 or newer is required (https://nodejs.org, or: apt-get install nodejs from NodeSource)"
  local v major minor
  v=$(node -p 'process.versions.node')
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 9 ]; }; then
    die "Node.js $v is too old: Bulwark needs 20.9 or newer"
  fi
  command -v npm >/dev/null 2>&1 || die "npm is missing (it ships with Node.js)"
  log "Node.js $v, npm $(npm -v)"
}

# Installs dependencies when node_modules is missing or package-lock.json (or the Node major) changed
# since the last install; the hash of what was installed is kept in node_modules/.bulwark-lock-hash.
lock_hash() { { cat package-lock.json; node -p 'process.versions.node.split(".")[0]'; } | sha256sum | cut -d' ' -f1; }

ensure_deps() {
  local want have=""
  want=$(lock_hash)
  [ -f node_modules/.bulwark-lock-hash ] && have=$(cat node_modules/.bulwark-lock-hash)
  if [ -d node_modules ] && [ "$want" = "$have" ]; then
    log "dependencies are up to date"
    return
  fi
  # Installed by hand (npm install) rather than by these scripts: trust it when npm finds it complete.
  if [ -d node_modules ] && [ -z "$have" ] && npm ls --all >/dev/null 2>&1; then
    echo "$want" >node_modules/.bulwark-lock-hash
    log "dependencies are up to date (checked with npm ls)"
    return
  fi
  if [ -d node_modules ]; then log "package-lock.json changed since the last install: npm ci"; else log "installing dependencies: npm ci"; fi
  npm ci --no-audit --no-fund
  echo "$want" >node_modules/.bulwark-lock-hash
}

# --- .env ---------------------------------------------------------------------------------------------

random_secret() {
  openssl rand -base64 32 2>/dev/null || node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64") + "\n")'
}

# Creates .env from .env.example on first run with a fresh NEXTAUTH_SECRET; an existing .env is never touched.
ensure_env_file() {
  if [ -f .env ]; then
    log ".env exists (left as is)"
    return
  fi
  [ -f .env.example ] || die ".env.example is missing"
  local secret
  secret=$(random_secret)
  (umask 077 && sed "s|^NEXTAUTH_SECRET=.*|NEXTAUTH_SECRET=${secret}|" .env.example >.env)
  log "created .env from .env.example with a random NEXTAUTH_SECRET"
}

# Exports KEY=VALUE lines from a dotenv file; variables already set in the environment win.
load_env() {
  local file=${1:-.env} line key val
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[2]}
    val=${BASH_REMATCH[3]}
    if [[ "$val" =~ ^\"(.*)\"$ ]] || [[ "$val" =~ ^\'(.*)\'$ ]]; then val=${BASH_REMATCH[1]}; fi
    [ -n "${!key+x}" ] || export "$key=$val"
  done <"$file"
}

# --- Postgres and Redis -------------------------------------------------------------------------------

# Drops (disconnecting any sessions) and recreates the database named in a postgresql:// URL.
recreate_db() {
  node --input-type=module -e '
    import pg from "pg";
    const url = new URL(process.argv[1]);
    const name = decodeURIComponent(url.pathname.slice(1));
    url.pathname = "/postgres";
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const q = `"${name.replace(/"/g, "\"\"")}"`;
    await client.query(`DROP DATABASE IF EXISTS ${q} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${q}`);
    await client.end();
  ' "$1"
}

# Sends one command to Redis over bash's /dev/tcp (no redis-cli needed); prints the first reply line.
redis_cmd() {
  local host=$1 port=$2 db=$3; shift 3
  local cmd="" arg reply
  { exec 5<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
  printf '*2\r\n$6\r\nSELECT\r\n$%d\r\n%s\r\n' "${#db}" "$db" >&5
  cmd="*$#\r\n"
  for arg in "$@"; do cmd+="\$${#arg}\r\n${arg}\r\n"; done
  printf "$cmd" >&5
  IFS= read -r -t 5 reply <&5 || true
  IFS= read -r -t 5 reply <&5 || true
  exec 5>&-
  printf '%s\n' "${reply%$'\r'}"
}

# --- HTTP and ports -----------------------------------------------------------------------------------

port_in_use() { { exec 6<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null && { exec 6>&-; return 0; }; return 1; }

describe_port() {
  command -v ss >/dev/null 2>&1 && ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)".*pid=\([0-9]*\).*/\1 (pid \2)/p' | head -1
}

# Prints the HTTP status code of GET http://127.0.0.1:PORT/PATH, or nothing when nothing answers.
http_status() {
  local port=$1 path=$2 line=""
  { exec 7<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.1\r\nHost: localhost:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&7
  IFS= read -r -t 10 line <&7 || true
  exec 7>&-
  [[ "$line" =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]] && echo "${BASH_REMATCH[1]}"
  return 0
}

# --- Shared preparation for npm start / npm run dev ---------------------------------------------------

prepare_app() {
  step "checking Node.js"
  require_node
  step "installing dependencies (when package-lock.json changed)"
  ensure_deps
  step "starting Postgres and Redis"
  bash scripts/services.sh start
  step "configuring .env"
  ensure_env_file
  load_env .env
  export PORT=${PORT:-3000} NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
  if port_in_use "$PORT"; then
    die "port $PORT is already in use$(d=$(describe_port "$PORT"); [ -n "$d" ] && echo " by $d"). Stop that process or set PORT (and NEXTAUTH_URL) in .env."
  fi
  step "generating the Prisma client"
  npm run --silent db:generate >/dev/null
  step "applying database migrations"
  npm run --silent db:migrate
  if [ "${BULWARK_SEED:-1}" = "0" ]; then
    step "seeding demo data: skipped (BULWARK_SEED=0)"
  else
    step "seeding demo data (idempotent; BULWARK_SEED=0 skips it)"
    npm run --silent db:seed
  fi
}

# --- Supervising web and worker -----------------------------------------------------------------------

CHILD_PIDS=()
CHILD_NAMES=()

# Runs a command in its own session (so it and its children can be signalled as a group), with its
# output prefixed on the terminal and appended to .data/logs/NAME.log.
start_child() {
  local name=$1 color=$2; shift 2
  local logf="$ROOT/.data/logs/$name.log" prefix="[$name]"
  mkdir -p "$ROOT/.data/logs"
  printf '\n=== %s: %s ===\n' "$(date -u +%FT%TZ)" "$*" >>"$logf"
  [ -t 1 ] && prefix=$'\033['"$color"'m'"[$name]"$'\033[0m'
  # The prefixer ignores Ctrl-C (which the terminal sends to our whole process group) so it can show
  # the child's shutdown messages; it ends when the child closes its output.
  setsid "$@" </dev/null > >(trap '' INT TERM; tee -a "$logf" | sed -u "s/^/${prefix//\//\\/} /") 2>&1 &
  CHILD_PIDS+=("$!")
  CHILD_NAMES+=("$name")
}

# The app processes of a process group: the children of npm's `sh -c` wrapper (next, tsx), or, when
# there is no such wrapper, the processes with no children of their own.
group_apps() {
  local g=$1 f line rest comm
  for f in /proc/[0-9]*/stat; do
    { IFS= read -r line <"$f"; } 2>/dev/null || continue
    comm=${line#*(}
    comm=${comm%)*}
    rest=${line##*) }
    # shellcheck disable=SC2086
    set -- $rest
    echo "${line%% *} $2 $3 ${comm// /_}"
  done | awk -v g="$g" '$3 == g { pid[$1] = 1; parent[$1] = $2; comm[$1] = $4 }
    END {
      for (p in pid) if (parent[p] in pid && comm[parent[p]] ~ /^(sh|dash|bash)$/) { print p; found = 1 }
      if (!found) for (p in pid) { leaf = 1; for (q in pid) if (parent[q] == p) leaf = 0; if (leaf) print p }
    }'
}

stop_children() {
  local pid i alive apps
  [ ${#CHILD_PIDS[@]} -eq 0 ] && return 0
  # One SIGTERM to each app process, not to its wrappers: `sh -c` does not pass signals on, and tsx
  # relays one of its own, and a second signal makes the worker skip waiting for active jobs.
  # Whatever is still running after 15 s is killed.
  for pid in "${CHILD_PIDS[@]}"; do
    apps=$(group_apps "$pid")
    # shellcheck disable=SC2086
    if [ -z "$apps" ] || ! kill -TERM $apps 2>/dev/null; then kill -TERM -- "-$pid" 2>/dev/null || true; fi
  done
  for i in $(seq 1 150); do
    alive=0
    for pid in "${CHILD_PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${CHILD_PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  CHILD_PIDS=()
  sleep 0.3 # let the prefixers flush the last lines
  log "web and worker stopped"
}

# Echoes the name of the first child that has exited, if any.
exited_child() {
  local i
  for i in "${!CHILD_PIDS[@]}"; do
    kill -0 "${CHILD_PIDS[$i]}" 2>/dev/null || { echo "${CHILD_NAMES[$i]}"; return 0; }
  done
  return 1
}

wait_for_health() {
  local port=$1 timeout=${2:-180} i status dead
  for i in $(seq 1 "$timeout"); do
    status=$(http_status "$port" /api/health)
    [ "$status" = "200" ] && return 0
    if dead=$(exited_child); then
      die "$dead exited before the app became healthy (see .data/logs/$dead.log)"
    fi
    if [ $((i % 15)) -eq 0 ]; then log "waiting for http://localhost:$port/api/health (${status:-no answer yet})"; fi
    sleep 1
  done
  die "http://localhost:$port/api/health did not answer 200 within ${timeout}s (last: ${status:-no answer})"
}

# Blocks until a child exits (then stops the rest) or a signal arrives (the caller's trap stops all).
supervise() {
  local rc=0 dead
  set +e
  wait -n "${CHILD_PIDS[@]}"
  rc=$?
  set -e
  dead=$(exited_child || true)
  [ -n "$dead" ] && warn "$dead exited (code $rc); stopping the rest"
  stop_children
  return "$rc"
}

banner() {
  local url=$1 mode=$2
  local pw=${BULWARK_DEMO_PASSWORD:-bulwark-demo}
  local g=$C_OK o=$C_OFF
  cat >&2 <<EOF

${g}  ┌──────────────────────────────────────────────────────────────────┐${o}
${g}    Bulwark is running ($mode)${o}

    Open          ${url}
    Demo login    admin@bulwark.local / ${pw}     (Acme Corp, owner)
    Read-only     viewer@bulwark.local / ${pw}    (Acme Corp, viewer)
    Other tenant  globex-admin@bulwark.local / ${pw}

    Logs          .data/logs/web.log, .data/logs/worker.log
    Stop          Ctrl-C  (Postgres and Redis keep running: npm run services:stop)
${g}  └──────────────────────────────────────────────────────────────────┘${o}

EOF
}

# Stops web and worker on exit, Ctrl-C or SIGTERM (start.sh and dev.sh).
trap_children() {
  trap 'stop_children' EXIT
  trap 'echo >&2; log "stopping web and worker"; stop_children; exit 130' INT
  trap 'log "stopping web and worker"; stop_children; exit 143' TERM
}
