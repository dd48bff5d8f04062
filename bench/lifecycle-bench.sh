#!/usr/bin/env bash
# Benchmark (not a test): one gsp-lifecycle pass over many servers. Seeds N
# servers (a tenth of them RUNNING, spread over N/10 users) in a private
# MariaDB, then times passes where (a) every running server is paid (nothing to
# do), and (b) a tenth of the running servers are due for their next hour.
# Prints wall time and SQL statements per pass for N = 1,000 and 10,000: the
# statements must not grow with servers that need nothing done. The agent runs
# with no Docker engine behind it (the pass only queues and pokes; its
# reconcile is skipped). Then the same passes with reconcile and usage
# sampling on (bench/reconcile_bench.cc: in-process, a fake engine listing
# every server's containers, a fake cgroup tree): wall time, statements and
# engine calls per pass, which must not grow with the servers.
# Usage: bench/lifecycle-bench.sh [ROUNDS]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

ROUNDS=${1:-5}
STATE=$GSP_VAR/bench-lifecycle
install_packages
build_platform
make -C "$GSP_BUILD" bench/reconcile_bench >/dev/null
install_platform
ensure_service_users
stop_all "$STATE" 2>/dev/null || true
rm -rf "$STATE"
prepare_state "$STATE"
trap 'stop_all "$STATE"' EXIT
start_mariadb "$STATE"
create_database "$STATE"
write_config "$STATE" "[docker]" "socket = $STATE/no-engine.sock"
migrate "$STATE" >/dev/null
start_agent "$STATE"
SQL="mariadb --no-defaults -S $STATE/db/run/mysqld.sock -uroot gsp -N -e"
PASS="$GSP_PREFIX/sbin/gsp-lifecycle --config=$STATE/gsp.ini tick"

# seed N: N servers of the demo game, one in ten RUNNING and paid for the next
# 50 minutes, over N/10 users with plenty of credit.
seed() {
  local n=$1 users=$(($1 / 10))
  $SQL "DELETE FROM stats_samples; DELETE FROM stats_hourly; DELETE FROM transactions; DELETE FROM jobs; DELETE FROM server_events; DELETE FROM server_ports;
        DELETE FROM servers; DELETE FROM sessions; DELETE FROM users;
        INSERT INTO users (email, provider, provider_subject, credits_cents)
          SELECT CONCAT('u', seq, '@bench'), 'google', CONCAT('u', seq), 1000000 FROM seq_1_to_$users;
        INSERT INTO transactions (user_id, amount_cents, balance_after_cents, type, description)
          SELECT id, 1000000, 1000000, 'DEPOSIT', 'bench' FROM users;
        INSERT INTO servers (user_id, game_image_id, name, state, webhook_secret, running_since, paid_until,
                             keep_awake_until, last_activity_at)
          SELECT (SELECT MIN(id) FROM users) + (seq % $users), (SELECT id FROM game_images WHERE slug = 'demo-game'),
                 CONCAT('s', seq), IF(seq % 10 = 0, 'RUNNING', 'SLEEPING'), REPEAT('a', 64),
                 UTC_TIMESTAMP() - INTERVAL 10 MINUTE, UTC_TIMESTAMP() + INTERVAL 50 MINUTE,
                 UTC_TIMESTAMP() + INTERVAL 1 DAY, UTC_TIMESTAMP()
          FROM seq_1_to_$n;"
}

# measure LABEL NOW: ROUNDS passes at NOW; median wall ms and the statements of the last.
measure() {
  local label=$1 now=$2 times=() statements=""
  for _ in $(seq 1 "$ROUNDS"); do
    local t0 t1
    t0=$(date +%s%N)
    out=$($PASS --now="$now" 2>&1)
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
    statements=$(echo "$out" | grep -o '[0-9]* statements' | tail -1)
  done
  printf '  %-46s median %5s ms   %s\n' "$label" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")" "$statements"
}

for n in 1000 10000; do
  seed "$n"
  now=$(date +%s)
  echo "$n servers, $((n / 10)) RUNNING, $((n / 10)) users ($ROUNDS passes each, wall time of the whole process):"
  measure "every running server paid: nothing to do" "$now"
  # A tenth of the running servers' paid time runs out: each pass charges them
  # (the first pass of the rounds does; the rest find them paid again).
  $SQL "UPDATE servers SET paid_until = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE state = 'RUNNING' ORDER BY id LIMIT $((n / 100))"
  t0=$(date +%s%N)
  out=$($PASS --now="$now" 2>&1)
  t1=$(date +%s%N)
  printf '  %-46s %12s ms   %s\n' "$((n / 100)) due for their next hour (one pass)" "$(( (t1 - t0) / 1000000 ))" \
    "$(echo "$out" | grep -o '[0-9]* hour(s) charged\|[0-9]* statements' | tr '\n' ' ')"
  echo "  with reconcile and sampling (fake engine):"
  "$GSP_BUILD/bench/reconcile_bench" --config="$STATE/gsp.ini" --rounds="$ROUNDS"
done
