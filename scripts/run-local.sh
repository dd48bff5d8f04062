#!/usr/bin/env bash
# Brings the whole platform up on this machine: installs what is missing,
# builds, installs into /opt/gsp-local (`make install`), starts a Docker engine
# if none runs and builds the proxy and demo-game images, starts a private
# MariaDB (state in /var/lib/gsp-local/local), gsp-agent (the only holder of
# the Docker socket), gsp-web (as the gsp user) and nginx on
# http://127.0.0.1:8080, applies migrations, and stops everything on Ctrl-C
# (or SIGTERM).
# Game servers (containers) keep running after Ctrl-C, like on a real host;
# the next run picks them up again.
# Usage: scripts/run-local.sh [PORT]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PORT=${1:-8080}
STATE=$GSP_VAR/local

install_packages
build_platform
install_platform
ensure_service_users
prepare_state "$STATE"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT is already in use; stop what holds it or pass another port: scripts/run-local.sh 8081"
fi
stop_all "$STATE"  # leftovers of a run that was killed
trap 'say "stopping"; stop_all "$STATE"; exit 0' INT TERM
trap 'stop_all "$STATE"' EXIT

say "starting the Docker engine and building the gsp-proxy and gsp-demo-game images"
start_dockerd "$STATE" || die "the Docker engine did not start (see $STATE/dockerd.log)"
build_images

say "starting MariaDB (data in $STATE/db)"
start_mariadb "$STATE"
create_database "$STATE"
write_config "$STATE"
say "applying migrations"
migrate "$STATE"
say "starting gsp-agent, gsp-web and nginx"
start_agent "$STATE"
start_web "$STATE"
start_nginx "$STATE" "$PORT"
say "starting the lifecycle loop (a gsp-lifecycle pass every minute, as gsp-lifecycle.timer does)"
start_lifecycle_loop "$STATE"

cat <<MSG

  The platform is up:  http://127.0.0.1:$PORT
  Sign in with any email (mock sign-in is on for local runs); admin@example.com is an admin.
  Create a "Demo Game" server, then wake it from another terminal:  nc 127.0.0.1 PORT
  Logs: $STATE/gsp-web.log, $STATE/gsp-agent.log, $STATE/gsp-lifecycle.log, $STATE/nginx/error.log,
        $STATE/db/error.log
  The database and config stay in $STATE between runs; to start afresh, stop
  this and run:  rm -rf $STATE
  Press Ctrl-C to stop everything.

MSG
# Stay in the foreground until Ctrl-C, or until a service dies.
while kill -0 "$(cat "$STATE/gsp-web.pid")" 2>/dev/null && kill -0 "$(cat "$STATE/gsp-agent.pid")" 2>/dev/null &&
  [ -S "$STATE/db/run/mysqld.sock" ]; do
  sleep 1
done
die "a service stopped unexpectedly; see the logs above"
