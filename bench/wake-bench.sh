#!/usr/bin/env bash
# Benchmark (not a test): how long a player waits on a sleeping Demo Game
# server, from the client's first byte to the echoed reply, and where the time
# goes: the wake call reaching the backend, the engine's start returning, the
# game accepting, the first byte coming back. Runs the whole platform in
# var/bench-wake with its own MariaDB, nginx, gsp-web and the local engine.
# Usage: bench/wake-bench.sh [ROUNDS]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

ROUNDS=${1:-5}
export GSP_PORT_MIN=32000 GSP_PORT_MAX=32999  # apart from a local run and the tests
STATE=$GSP_VAR/bench-wake
install_packages
build_platform
install_platform
ensure_service_users
mkdir -p "$STATE"
start_dockerd "$STATE"
export GSP_OBJECT_PREFIX=gspbench
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
PORT=$(free_port)
start_nginx "$STATE" "$PORT"
URL=http://127.0.0.1:$PORT
SQL="mariadb --no-defaults -S $STATE/db/run/mysqld.sock -uroot gsp -N -e"

# Sign in and create the server through the site, like a user.
JAR=$STATE/cookies
csrf() { curl -sf -b "$JAR" -c "$JAR" "$URL$1" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4; }
token=$(csrf "/auth/mock/google")
curl -sf -o /dev/null -b "$JAR" -c "$JAR" --data "provider=google&email=bench@example.com&next=/dashboard&csrf_token=$token" "$URL/auth/mock-login"
game=$($SQL "SELECT id FROM game_images WHERE slug = 'demo-game'")
token=$(csrf "/servers/create")
location=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$JAR" -c "$JAR" \
  --data "csrf_token=$token&game_id=$game&name=wake-bench" "$URL/servers/create")
ID=${location##*/}
[ -n "$ID" ] && [ "$ID" -eq "$ID" ] 2>/dev/null || die "creating the server failed"
PUBLIC=$($SQL "SELECT public_port FROM server_ports WHERE server_id = $ID AND protocol = 'tcp'")
GAME=$GSP_OBJECT_PREFIX-$ID-game

ms() { echo $(( ($1 - $2) / 1000000 )); }  # nanoseconds -> milliseconds between two instants
ns_of() { date -d "$1" +%s%N; }             # RFC 3339 -> nanoseconds

printf '\nDemo Game server %s on 127.0.0.1:%s, %s rounds (ms after the client connects and sends one byte)\n' "$ID" "$PUBLIC" "$ROUNDS"
printf '%-6s %12s %14s %14s %14s %12s\n' round "wake call" "engine start" "game accepts" "echo back" "RUNNING"
totals=()
for round in $(seq 1 "$ROUNDS"); do
  state=$($SQL "SELECT state FROM servers WHERE id = $ID")
  if [ "$state" != SLEEPING ]; then
    token=$(csrf "/servers/$ID")
    curl -sf -o /dev/null -b "$JAR" -c "$JAR" --data "csrf_token=$token" "$URL/servers/$ID/hibernate"
  fi
  sleep 1
  # t0: the client's first packet (for TCP the proxy wakes the game on the connection itself).
  t0=$(date +%s%N)
  exec 3<>"/dev/tcp/127.0.0.1/$PUBLIC"
  printf 'x' >&3
  IFS= read -r -n 1 -t 60 reply <&3 || die "no echo within 60 s"
  t_echo=$(date +%s%N)
  exec 3<&-
  [ "$reply" = x ] || die "wrong echo '$reply'"
  # RUNNING comes with the proxy's next report (the client leaving triggers one).
  for _ in $(seq 1 100); do [ "$($SQL "SELECT state FROM servers WHERE id = $ID")" = RUNNING ] && break; sleep 0.1; done
  t_wake=$($SQL "SELECT ROUND(UNIX_TIMESTAMP(created_at) * 1000000000) FROM server_events WHERE server_id = $ID AND to_state = 'STARTING' ORDER BY id DESC LIMIT 1")
  t_running=$($SQL "SELECT ROUND(UNIX_TIMESTAMP(created_at) * 1000000000) FROM server_events WHERE server_id = $ID AND to_state = 'RUNNING' ORDER BY id DESC LIMIT 1")
  t_started=$(ns_of "$(docker inspect -f '{{.State.StartedAt}}' "$GAME")")
  t_up=$(ns_of "$(docker logs -t --since "$((t0 / 1000000000 - 1))" "$GAME" 2>&1 | grep -m1 'demo game up' | cut -d' ' -f1)")
  printf '%-6s %12s %14s %14s %14s %12s\n' "$round" "$(ms "$t_wake" "$t0")" "$(ms "$t_started" "$t0")" \
    "$(ms "$t_up" "$t0")" "$(ms "$t_echo" "$t0")" "$(ms "$t_running" "$t0")"
  totals+=("$(ms "$t_echo" "$t0")")
done
sorted=$(printf '%s\n' "${totals[@]}" | sort -n)
printf '\nfirst byte -> echo: median %s ms, min %s ms, max %s ms\n' \
  "$(echo "$sorted" | sed -n "$(( (ROUNDS + 1) / 2 ))p")" "$(echo "$sorted" | head -1)" "$(echo "$sorted" | tail -1)"
echo "(wake call = the backend's STARTING event; engine start = the container's StartedAt; game accepts = its"
echo " first log line; RUNNING = when the proxy reported the game reachable)"
