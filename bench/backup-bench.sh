#!/usr/bin/env bash
# Benchmark (not a test): a backup of a 1 GiB Demo Game volume (half random
# bytes, half text) to the local target through the platform (a BACKUP job
# of gsp-agent: the engine's tar, gzip level 1, SHA-256 + MD5 + CRC32C, the
# file), beside the same data through `docker cp GAME:/data - | gzip -1 > FILE`
# in the same run; then the same to Google Cloud Storage's JSON API as the test
# double (tests/gcs/gcs_double.mjs) speaks it. Prints throughput (MB of data
# read per second) and the agent's peak RSS (VmHWM: the agent starts fresh for
# each target, so this is its peak over those backups). Runs the whole
# platform in $GSP_VAR/bench-backup.
# Usage: bench/backup-bench.sh [ROUNDS] [MIB]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

ROUNDS=${1:-3}
MIB=${2:-1024}
export GSP_PORT_MIN=33100 GSP_PORT_MAX=33199  # apart from a local run, the tests and other benches
STATE=$GSP_VAR/bench-backup
install_packages
build_platform
install_platform
ensure_service_users
mkdir -p "$STATE"
start_dockerd "$STATE"
export GSP_OBJECT_PREFIX=gspbackupbench
remove_docker_objects "$GSP_OBJECT_PREFIX"
build_images

stop_all "$STATE" 2>/dev/null || true
rm -rf "$STATE"
prepare_state "$STATE"
trap 'remove_docker_objects "$GSP_OBJECT_PREFIX"; stop_all "$STATE"; rm -rf "$STATE/data" "$STATE/pipeline.tar.gz"' EXIT
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

JAR=$STATE/cookies
csrf() { curl -sf -b "$JAR" -c "$JAR" "$URL$1" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4; }
token=$(csrf "/auth/mock/google")
curl -sf -o /dev/null -b "$JAR" -c "$JAR" --data "provider=google&email=bench@example.com&next=/dashboard&csrf_token=$token" "$URL/auth/mock-login"
game=$($SQL "SELECT id FROM game_images WHERE slug = 'demo-game'")
token=$(csrf "/servers/create")
location=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$JAR" -c "$JAR" \
  --data "csrf_token=$token&game_id=$game&name=backup-bench" "$URL/servers/create")
ID=${location##*/}
[ -n "$ID" ] && [ "$ID" -eq "$ID" ] 2>/dev/null || die "creating the server failed"
for _ in $(seq 1 300); do [ "$($SQL "SELECT state FROM servers WHERE id = $ID")" = SLEEPING ] && break; sleep 0.2; done
GAME=$GSP_OBJECT_PREFIX-$ID-game

# The data: half random bytes, half text (a game's logs and configs compress well).
say "writing $MIB MiB into the server's volume"
mkdir -p "$STATE/data/bench"
head -c $((MIB / 2))M /dev/urandom >"$STATE/data/bench/random.bin"
# (yes ends on SIGPIPE when head has enough: not a failure.)
{ yes "2026-11-30 10:00:00 [Server thread/INFO]: Steve moved too quickly! 12.5,-3.25,104.0 (world: overworld)" || true; } |
  head -c $((MIB / 2))M >"$STATE/data/bench/log.txt"
docker cp "$STATE/data/bench" "$GAME:/data/" >/dev/null
rm -rf "$STATE/data"

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
rate() { awk -v b="$1" -v ns="$2" 'BEGIN { printf "%.1f", b / 1e6 / (ns / 1e9) }'; }

# measure LABEL: ROUNDS backups through the platform beside the pipeline; the agent's peak RSS.
measure() {
  printf '\n%s: %s MiB of data (half random, half text), %s rounds; MB/s of data read\n' "$1" "$MIB" "$ROUNDS"
  printf '%-6s %22s %22s %8s %16s\n' round "docker cp | gzip -1" "platform backup" ratio "stored (MB)"
  for round in $(seq 1 "$ROUNDS"); do
    t0=$(date +%s%N)
    docker cp "$GAME:/data" - | gzip -1 >"$STATE/pipeline.tar.gz"
    t1=$(date +%s%N)
    tar_bytes=$(docker cp "$GAME:/data" - | wc -c)
    pipe_rate=$(rate "$tar_bytes" $((t1 - t0)))

    token=$(csrf "/servers/$ID")
    curl -sf -o /dev/null -b "$JAR" -c "$JAR" --data "csrf_token=$token" "$URL/servers/$ID/backups"
    BID=$($SQL "SELECT MAX(id) FROM backups WHERE server_id = $ID")
    for _ in $(seq 1 6000); do
      state=$($SQL "SELECT state FROM backups WHERE id = $BID")
      [ "$state" = DONE ] || [ "$state" = FAILED ] && break
      sleep 0.1
    done
    [ "$state" = DONE ] || die "backup $BID: $($SQL "SELECT message FROM backups WHERE id = $BID")"
    # The job's own start and end, as the agent recorded them.
    read -r ns bytes stored < <($SQL "SELECT ROUND((UNIX_TIMESTAMP(j.finished_at) - UNIX_TIMESTAMP(j.started_at)) * 1e9),
                                           b.bytes_read, b.bytes_stored FROM backups b JOIN jobs j ON j.backup_id = b.id
                                    WHERE b.id = $BID AND j.kind = 'BACKUP'")
    ours=$(rate "$bytes" "$ns")
    printf '%-6s %22s %22s %8s %16s\n' "$round" "$pipe_rate" "$ours" \
      "$(awk -v a="$ours" -v b="$pipe_rate" 'BEGIN { printf "%.2fx", a / b }')" "$(mb "$stored")"
    token=$(csrf "/servers/$ID")
    curl -sf -o /dev/null -b "$JAR" -c "$JAR" --data "csrf_token=$token" "$URL/servers/$ID/backups/$BID/delete"
    sleep 1
  done
  printf 'gsp-agent peak RSS (VmHWM; the agent started fresh for these rounds): %s\n' \
    "$(grep VmHWM "/proc/$(cat "$STATE/gsp-agent.pid")/status" | awk '{print $2, $3}')"
}

measure "local target"

# The same through Cloud Storage: the JSON API test double (tests/gcs) with a
# service account of its own, and the agent restarted on the gcs target.
mkdir -p "$STATE/gcs"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$STATE/gcs/key.pem" 2>/dev/null
openssl pkey -in "$STATE/gcs/key.pem" -pubout -out "$STATE/gcs/public.pem"
(cd "$GSP_ROOT/tests/gcs" && { [ -d node_modules/@google-cloud/storage ] || npm install --no-audit --no-fund --silent >/dev/null 2>&1; })
(cd "$GSP_ROOT/tests/gcs" && exec node gcs_double.mjs --port=0 --public-key="$STATE/gcs/public.pem" --bucket=bench) \
  >"$STATE/gcs/double.out" 2>&1 &
echo $! >"$STATE/gcs/double.pid"
trap 'stop_pidfile "$STATE/gcs/double.pid"; remove_docker_objects "$GSP_OBJECT_PREFIX"; stop_all "$STATE"; rm -rf "$STATE/pipeline.tar.gz"' EXIT
wait_for 20 "the Cloud Storage double" grep -q '^listening ' "$STATE/gcs/double.out"
GCS_URL=$(awk '/^listening /{print $2}' "$STATE/gcs/double.out")
node -e 'const fs = require("fs"); fs.writeFileSync(process.argv[1], JSON.stringify({type: "service_account",
  client_email: "bench@example.iam.gserviceaccount.com", private_key: fs.readFileSync(process.argv[2], "utf8"),
  token_uri: process.argv[3] + "/token"}))' "$STATE/gcs/key.json" "$STATE/gcs/key.pem" "$GCS_URL"
chown "$GSP_AGENT_USER" "$STATE/gcs/key.json"
chmod 0400 "$STATE/gcs/key.json"
stop_agent "$STATE"
GSP_BACKUP_TARGET=gcs GSP_BACKUP_GCS_BUCKET=bench GSP_BACKUP_GCS_KEY_FILE="$STATE/gcs/key.json" \
  GSP_BACKUP_GCS_ENDPOINT="$GCS_URL" start_agent "$STATE"
measure "Cloud Storage (the test double on this host; 8 MiB chunks)"
printf '\ngzip -1 output for comparison: %s MB; the platform stores gzip level 1 too\n' \
  "$(mb "$(stat -c %s "$STATE/pipeline.tar.gz")")"
