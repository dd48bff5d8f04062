#!/usr/bin/env bash
# Benchmark (not a test): requests/s and p50/p99 latency of GET /dashboard and
# GET /billing through nginx -> gsp-web -> MariaDB, against nginx serving a
# static file of the same size, in the same run. Seeds one user with 50
# servers (and their ports) and 200 ledger rows first. The pages are measured
# as configured (page cache on) and again with the cache off. Then a real Demo
# Game server on the Docker engine, awake: its page and the two live polls
# every open server page sends (/servers/ID/status, /servers/ID/logs).
# Usage: bench/web-bench.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

DURATION=${1:-10}
CONNECTIONS=${2:-32}
STATE=$GSP_VAR/bench
command -v wrk >/dev/null || GSP_PACKAGES="wrk" install_packages
install_packages
build_platform
install_platform
ensure_service_users

mkdir -p "$STATE"
start_dockerd "$STATE" || die "the Docker engine did not start"
export GSP_OBJECT_PREFIX=gspwebbench GSP_PORT_MIN=33000 GSP_PORT_MAX=33099  # apart from runs and tests
remove_docker_objects "$GSP_OBJECT_PREFIX"
build_images
stop_all "$STATE" 2>/dev/null || true
rm -rf "$STATE"
prepare_state "$STATE"
trap 'remove_docker_objects "$GSP_OBJECT_PREFIX"; stop_all "$STATE"' EXIT
start_mariadb "$STATE"
create_database "$STATE"
write_config "$STATE"
migrate "$STATE" >/dev/null
start_agent "$STATE"
start_web "$STATE"

TOKEN=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
HASH=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
say "seeding: 1 user, 50 servers, 200 transactions"
{
  echo "INSERT INTO users (email, provider, provider_subject, credits_cents) VALUES ('bench@example.com', 'google', 'bench@example.com', 0);"
  echo "SET @u = LAST_INSERT_ID();"
  echo "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('$HASH', @u, UTC_TIMESTAMP() + INTERVAL 1 DAY);"
  states=(SLEEPING RUNNING STARTING SLEEPING ERROR)
  for i in $(seq 1 50); do
    echo "INSERT INTO servers (user_id, game_image_id, name, state, webhook_secret) SELECT @u, id, 'bench-server-$i', '${states[$((i % 5))]}', REPEAT('a', 64) FROM game_images ORDER BY id LIMIT $(( (i % 4) )), 1;"
    echo "INSERT INTO server_ports (server_id, protocol, internal_port, public_port) VALUES (LAST_INSERT_ID(), 'tcp', 25565, $((30000 + i)));"
  done
  balance=0
  for i in $(seq 1 200); do
    amount=$(( (i % 7 == 0) ? -12 : 100 * (i % 9 + 1) ))
    balance=$((balance + amount))
    type=$([ $amount -lt 0 ] && echo HOURLY_CHARGE || echo DEPOSIT)
    echo "INSERT INTO transactions (user_id, amount_cents, balance_after_cents, type, description) VALUES (@u, $amount, $balance, '$type', 'Bench entry $i');"
  done
  echo "UPDATE users SET credits_cents = $balance WHERE id = @u;"
} | mariadb --no-defaults -S "$STATE/db/run/mysqld.sock" -uroot gsp

# A static file exactly as large as the dashboard page, served by the same nginx.
PORT=$(free_port)
mkdir -p "$STATE/static"
cp "$GSP_PREFIX"/share/gsp/static/* "$STATE/static/"
# No rate limit in the way of the load generators (production: 10/s per session).
GSP_STATIC_DIR=$STATE/static start_nginx "$STATE" "$PORT" 100000 100000
URL=http://127.0.0.1:$PORT
curl -sf -H "Cookie: gsp_session=$TOKEN" "$URL/dashboard" >"$STATE/dashboard.html"
curl -sf -H "Cookie: gsp_session=$TOKEN" "$URL/billing" >"$STATE/billing.html"
grep -q bench-server-50 "$STATE/dashboard.html" || die "the dashboard does not show the seeded servers"
head -c "$(stat -c %s "$STATE/dashboard.html")" /dev/urandom | base64 -w 100 | head -c "$(stat -c %s "$STATE/dashboard.html")" >"$STATE/static/same-size.html"

run_wrk() {  # run_wrk NAME PATH [COOKIE]
  local key=${1//[^a-z]/_}
  local out="$STATE/wrk-$key.txt"
  if [ -n "${3:-}" ]; then
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: gsp_session=$3" "$URL$2" >"$out"
  else
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL$2" >"$out"
  fi
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$out")
  printf '%-22s %9s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
  echo "$rps" >"$STATE/rps-$key"
}

echo
echo "page sizes: dashboard $(stat -c %s "$STATE/dashboard.html") B, billing $(stat -c %s "$STATE/billing.html") B, static $(stat -c %s "$STATE/static/same-size.html") B"
echo "wrk: 2 threads, $CONNECTIONS connections, ${DURATION}s each, on $(nproc) cores shared by wrk, nginx, gsp-web and MariaDB"
run_wrk "static (nginx)" /static/same-size.html
# As configured by default: after the first request the page cache replays
# the pages until something they show changes (src/web/page_cache.h).
run_wrk "GET /dashboard" /dashboard "$TOKEN"
run_wrk "GET /billing" /billing "$TOKEN"
# The floor of any dynamic page: nginx -> FastCGI -> gsp-web -> template, no database.
run_wrk "404 page, no database" /no-such-page
# Every request rendered from the database: the page cache off.
stop_web "$STATE"
GSP_WEB_PAGE_CACHE_MS=0 start_web "$STATE"
wait_for 20 "gsp-web without its page cache" curl -sf -o /dev/null -H "Cookie: gsp_session=$TOKEN" "$URL/dashboard"
run_wrk "dashboard, no cache" /dashboard "$TOKEN"
run_wrk "billing, no cache" /billing "$TOKEN"
static=$(cat "$STATE/rps-static__nginx_")
for page in dashboard billing; do
  [ -f "$STATE/rps-_____$page" ] || continue
  awk -v d="$(cat "$STATE/rps-_____$page")" -v s="$static" -v n="GET /$page" \
    'BEGIN { printf "%-22s %.1f%% of the static file'"'"'s requests/s\n", n, 100 * d / s }'
done
share() {  # share KEY LABEL
  awk -v d="$(cat "$STATE/rps-$1")" -v s="$static" -v n="$2" \
    'BEGIN { printf "%-22s %.1f%% of the static file'"'"'s requests/s\n", n, 100 * d / s }'
}
share ____page__no_database "404, no database"
share dashboard__no_cache "dashboard, no cache"
share billing__no_cache "billing, no cache"

# ---- a real server: its page and the live polls of an open server page ----
JAR=$STATE/cookies
csrf() { curl -sf -b "$JAR" -c "$JAR" "$URL$1" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4; }
token=$(csrf "/auth/mock/google")
curl -sf -o /dev/null -b "$JAR" -c "$JAR" --data "provider=google&email=bench-live@example.com&next=/dashboard&csrf_token=$token" "$URL/auth/mock-login"
SQL="mariadb --no-defaults -S $STATE/db/run/mysqld.sock -uroot gsp -N -e"
game=$($SQL "SELECT id FROM game_images WHERE slug = 'demo-game'")
token=$(csrf "/servers/create")
curl -s -o /dev/null -b "$JAR" -c "$JAR" --data "csrf_token=$token&game_id=$game&name=web-bench" "$URL/servers/create"
ID=""
for _ in $(seq 1 600); do  # the server exists once its create is done
  ID=$($SQL "SELECT id FROM servers WHERE name = 'web-bench' AND state = 'SLEEPING'")
  [ -n "$ID" ] && break
  sleep 0.1
done
[ -n "$ID" ] || die "creating the Demo Game server failed"
PUBLIC=$($SQL "SELECT public_port FROM server_ports WHERE server_id = $ID AND protocol = 'tcp'")
exec 3<>"/dev/tcp/127.0.0.1/$PUBLIC"
printf 'wake\n' >&3
IFS= read -r -t 60 _ <&3 || die "the Demo Game server did not wake"
exec 3<&-
LIVE_TOKEN=$(awk '$6 == "gsp_session" {print $7}' "$JAR")
echo
echo "Demo Game server $ID, awake (console lines: $(curl -sf -H "Cookie: gsp_session=$LIVE_TOKEN" "$URL/servers/$ID/logs?tail=50" | grep -o '"text"' | wc -l))"
run_wrk "GET /servers/ID" "/servers/$ID" "$LIVE_TOKEN"
run_wrk "GET .../status" "/servers/$ID/status" "$LIVE_TOKEN"
run_wrk "GET .../logs" "/servers/$ID/logs?tail=50" "$LIVE_TOKEN"
for name in "GET /servers/ID" "GET .../status" "GET .../logs"; do share "${name//[^a-z]/_}" "$name"; done
