#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds, installs into
# /opt/gsp-local, runs the unit tests, starts a private MariaDB, gsp-web (as
# the gsp user) and nginx on a free port (state in /var/lib/gsp-local/test-PID),
# runs the integration tests through nginx, the browser test in headless
# Chromium, the packaging checks and the run command from a private checkout,
# then prints one line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib.sh"

set -e
install_packages
build_platform
install_platform
ensure_service_users
set +e

STATE=$GSP_VAR/test-$$
# A run that was killed leaves its services behind: stop them before their state goes.
for old in "$GSP_VAR"/test-*/; do
  [ -d "$old" ] || continue
  stop_all "${old%/}/private-run/local" 2>/dev/null
  stop_all "${old%/}" 2>/dev/null
done
rm -rf "$GSP_VAR"/test-*
prepare_state "$STATE"
PASSED=0
FAILED=0
FAILED_NAMES=()

# Adds the "N passed, N failed" line of a runner's output to the totals.
count_runner() {  # count_runner NAME OUTPUT_FILE EXIT_CODE
  local line; line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$2" | tail -1)
  if [ -z "$line" ]; then
    FAILED=$((FAILED + 1)); FAILED_NAMES+=("$1 (runner crashed, exit $3)")
    tail -30 "$2"
    return
  fi
  local p f; p=${line%% passed*}; f=${line#*, }; f=${f%% failed}
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  [ "$f" -gt 0 ] && FAILED_NAMES+=("$1") && grep -v ' : OK$' "$2" | tail -60
  [ "$f" -eq 0 ] && [ "$3" -ne 0 ] && { FAILED=$((FAILED + 1)); FAILED_NAMES+=("$1 (exit $3)"); }
  return 0
}

# One shell-level test case: check NAME COMMAND...
check() {
  local name=$1; shift
  if "$@" >"$STATE/check.out" 2>&1; then
    PASSED=$((PASSED + 1)); echo "$name : OK"
  else
    FAILED=$((FAILED + 1)); FAILED_NAMES+=("$name"); echo "$name : FAILED"; tail -20 "$STATE/check.out"
  fi
}

cleanup() {
  stop_all "$STATE/private-run/local" 2>/dev/null  # when the run ends during that check
  stop_pidfile "$STATE/gcs/double.pid" 2>/dev/null
  stop_all "$STATE"
  stop_test_registry "$STATE" 2>/dev/null
  # The images this run pulled from its registry.
  docker images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | grep -E '^127\.0\.0\.1:[0-9]+/gsp-demo-game-' |
    xargs -r docker rmi -f >/dev/null 2>&1
  [ -n "${GSP_OBJECT_PREFIX:-}" ] && remove_docker_objects "$GSP_OBJECT_PREFIX" 2>/dev/null
  return 0
}
trap cleanup EXIT
# Ctrl-C or a kill ends the run through the EXIT trap too, so nothing is left running.
trap 'exit 130' INT
trap 'exit 143' TERM

say "unit tests"
"$GSP_BUILD/tests/unit_tests" >"$STATE/unit.out" 2>&1
count_runner unit_tests "$STATE/unit.out" $?

say "starting the Docker engine and building the images"
set -e
start_dockerd "$STATE"
# One object prefix for every test run, cleaned first: a killed run leaves
# containers behind, and server ids start again at 1 in each new database.
export GSP_OBJECT_PREFIX=gsptest
# Game ports of their own, apart from a local run's (30000-30999) on the same host.
export GSP_PORT_MIN=31000 GSP_PORT_MAX=31999
# Objects of no server are removed after 5 s, not 10 min, so a test can see it.
export GSP_ORPHAN_GRACE_SECONDS=5
remove_docker_objects "$GSP_OBJECT_PREFIX"
build_images

say "starting MariaDB, gsp-agent, gsp-web and nginx"
start_mariadb "$STATE"
create_database "$STATE"
write_config "$STATE"
migrate "$STATE" >/dev/null
# Variants of the Demo Game for the tests: one whose save on SIGTERM takes 4 s,
# as a big world's would (a hibernate long enough to kill the agent in the
# middle of one), and one that never becomes ready (it listens on another port).
add_demo_variant() {  # add_demo_variant SLUG NAME ENV_JSON [IMAGE] [CENTS_PER_HOUR]
  mariadb --no-defaults -S "$STATE/db/run/mysqld.sock" -uroot gsp <<SQL
INSERT INTO game_images (slug, friendly_name, description, docker_image, default_internal_port, data_path,
                         default_env, min_ram_mb, min_cpu_millis, price_cents_per_hour, idle_minutes)
SELECT '$1', '$2', 'A Demo Game variant for the tests.', COALESCE(NULLIF('${4:-}', ''), docker_image), 7000, '/data',
       '$3', 64, 250, ${5:-1}, 15
FROM game_images WHERE slug = 'demo-game';
INSERT INTO game_image_ports (game_image_id, protocol, internal_port)
SELECT g.id, p.protocol, p.internal_port FROM game_images g, game_image_ports p JOIN game_images d ON d.id = p.game_image_id
WHERE g.slug = '$1' AND d.slug = 'demo-game';
SQL
}
add_demo_variant demo-game-slow-save "Demo Game (slow save)" '{"GSP_DEMO_SAVE_MS":"4000"}'
add_demo_variant demo-game-never-ready "Demo Game (never ready)" '{"GSP_DEMO_TCP_PORT":"7001","GSP_DEMO_UDP_PORT":"7001"}'
add_demo_variant demo-game-priced "Demo Game (a dollar an hour)" '{}' "" 100
add_demo_variant demo-game-cpu-guard "Demo Game (stays up while busy)" '{}'
# Like Valheim: A2S queries on the game port + 1, answered by the proxy while it sleeps.
add_demo_variant demo-game-a2s "Demo Game (Steam queries)" '{"GSP_DEMO_QUERY":"a2s"}'
mariadb --no-defaults -S "$STATE/db/run/mysqld.sock" -uroot gsp <<SQL
UPDATE game_images SET query_protocol = 'a2s', query_port = 7001, steam_app_id = 892970 WHERE slug = 'demo-game-a2s';
INSERT INTO game_image_ports (game_image_id, protocol, internal_port)
SELECT id, 'udp', 7001 FROM game_images WHERE slug = 'demo-game-a2s';
SQL
mariadb --no-defaults -S "$STATE/db/run/mysqld.sock" -uroot gsp \
  -e "UPDATE game_images SET cpu_awake_percent = 5 WHERE slug = 'demo-game-cpu-guard'"
# Images the engine does not have, in a real registry (tests/registry/registry.sh):
# one to pull, one the registry does not know, one behind a closed port, and a
# big one the browser test pulls through a slow relay of its own on RELAY_PORT.
source "$GSP_ROOT/tests/registry/registry.sh"
REGISTRY_PORT=$(free_port)
RELAY_PORT=$(free_port)
CLOSED_PORT=$(free_port)
DEMO_IMAGE=$(mariadb --no-defaults -S "$STATE/db/run/mysqld.sock" -uroot gsp -N -e \
  "SELECT docker_image FROM game_images WHERE slug = 'demo-game'")
start_test_registry "$STATE" "$REGISTRY_PORT" "$DEMO_IMAGE"
add_demo_variant demo-game-pulled "Demo Game (from a registry)" '{}' "127.0.0.1:$REGISTRY_PORT/gsp-demo-game-pulled:test"
add_demo_variant demo-game-missing "Demo Game (not in the registry)" '{}' "127.0.0.1:$REGISTRY_PORT/no-such-game:1"
add_demo_variant demo-game-unreachable "Demo Game (registry down)" '{}' "127.0.0.1:$CLOSED_PORT/gsp-demo-game:1"
add_demo_variant demo-game-big "Demo Game (big download)" '{}' "127.0.0.1:$RELAY_PORT/gsp-demo-game-big:test"
start_agent "$STATE"
PORT=$(free_port)
# gsp-web is our child here, so its exit code can be checked after SIGTERM.
WEB_COMMAND=$(web_command "$STATE")
$WEB_COMMAND </dev/null >>"$STATE/gsp-web.log" 2>&1 &
WEB_PID=$!
echo $WEB_PID >"$STATE/gsp-web.pid"
wait_for 20 "gsp-web" test -S "$STATE/web/gsp-web.sock"
start_nginx "$STATE" "$PORT" 200 200
set +e

cat >"$STATE/restart-db" <<SH
#!/bin/sh
# Restarts the test MariaDB (used by the database-restart test).
set -e
. "$GSP_ROOT/scripts/lib.sh"
stop_mariadb "$STATE"
start_mariadb "$STATE"
SH
chmod +x "$STATE/restart-db"
cat >"$STATE/restart-docker" <<SH
#!/bin/bash
# Restarts the Docker engine (used by the test of an engine restart).
set -e
source "$GSP_ROOT/scripts/lib.sh"
restart_dockerd "$STATE"
SH
chmod +x "$STATE/restart-docker"
cat >"$STATE/start-agent" <<SH
#!/bin/bash
# Starts the test gsp-agent again (used by the test that kills it).
set -e
source "$GSP_ROOT/scripts/lib.sh"
start_agent "$STATE"
SH
chmod +x "$STATE/start-agent"

say "Cloud Storage test double (tests/gcs), its own tests against the official client"
# A service account of our own: the double issues tokens only for JWTs this key signed.
install -d -m 0755 "$STATE/gcs"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$STATE/gcs/key.pem" 2>/dev/null
openssl pkey -in "$STATE/gcs/key.pem" -pubout -out "$STATE/gcs/public.pem"
(cd "$GSP_ROOT/tests/gcs" && { [ -d node_modules/@google-cloud/storage ] || npm install --no-audit --no-fund --silent >/dev/null 2>&1; })
(cd "$GSP_ROOT/tests/gcs" && node --test gcs_double.test.mjs) >"$STATE/gcs-double.out" 2>&1
rc=$?
g_pass=$(grep -E '^# pass ' "$STATE/gcs-double.out" | awk '{print $3}'); g_fail=$(grep -E '^# fail ' "$STATE/gcs-double.out" | awk '{print $3}')
echo "${g_pass:-0} passed, ${g_fail:-1} failed" >>"$STATE/gcs-double.out"
count_runner gcs_double_tests "$STATE/gcs-double.out" $rc
# The official client sends no token to a custom endpoint: anonymous calls are allowed; ours carry tokens.
(cd "$GSP_ROOT/tests/gcs" && exec node gcs_double.mjs --port=0 --public-key="$STATE/gcs/public.pem" \
  --bucket=gsp-test --allow-anonymous) >"$STATE/gcs/double.out" 2>"$STATE/gcs/double.err" &
echo $! >"$STATE/gcs/double.pid"
wait_for 20 "the Cloud Storage double" grep -q '^listening ' "$STATE/gcs/double.out"
GCS_URL=$(awk '/^listening /{print $2}' "$STATE/gcs/double.out")
node -e 'const fs = require("fs"); fs.writeFileSync(process.argv[1], JSON.stringify({type: "service_account",
  client_email: "gsp-test@example.iam.gserviceaccount.com", private_key_id: "test",
  private_key: fs.readFileSync(process.argv[2], "utf8"), token_uri: process.argv[3] + "/token"}))' \
  "$STATE/gcs/key.json" "$STATE/gcs/key.pem" "$GCS_URL"
# Readable by gsp-agent only, as in production.
chown "$GSP_AGENT_USER" "$STATE/gcs/key.json"
chmod 0400 "$STATE/gcs/key.json"

# run_integration OUTPUT PROGRAM [SUITE...]: the platform's integration tests
# through nginx against the services running now; gsp-admin and gsp-lifecycle
# from $GSP_SBIN.
run_integration() {
  local out=$1 program=$2
  shift 2
  GSP_TEST_BASE_URL="http://127.0.0.1:$PORT" GSP_TEST_CONFIG="$STATE/gsp.ini" \
    GSP_TEST_WEBHOOK_SOCKET="$STATE/webhook/webhook.sock" GSP_TEST_ADMIN="$GSP_SBIN/gsp-admin --config=$STATE/gsp.ini" \
    GSP_TEST_RESTART_DB="bash $STATE/restart-db" GSP_TEST_AGENT_SOCKET="$STATE/agent/agent.sock" \
    GSP_TEST_AGENT_PIDFILE="$STATE/gsp-agent.pid" GSP_TEST_START_AGENT="bash $STATE/start-agent" \
    GSP_TEST_LIFECYCLE="$GSP_SBIN/gsp-lifecycle --config=$STATE/gsp.ini" \
    GSP_TEST_RESTART_DOCKER="bash $STATE/restart-docker" \
    GSP_TEST_GCS_URL="$GCS_URL" GSP_TEST_GCS_KEY_FILE="$STATE/gcs/key.json" \
    GSP_TEST_GCS_READ_BACK="node $GSP_ROOT/tests/gcs/read_back.mjs" \
    "$program" "$@" >"$out" 2>&1
}
say "integration tests through nginx"
# shellcheck disable=SC2086
run_integration "$STATE/integration.out" "$GSP_BUILD/tests/integration_tests" ${GSP_TEST_ONLY:-}
count_runner integration_tests "$STATE/integration.out" $?
# A developer's quick loop: GSP_TEST_ONLY=BackupTest (a suite or Suite::test) runs just that.
if [ -n "${GSP_TEST_ONLY:-}" ]; then
  grep -v ' : OK$' "$STATE/integration.out" | tail -40
  echo "$PASSED passed, $FAILED failed (only $GSP_TEST_ONLY)"
  [ "$FAILED" -eq 0 ]
  exit
fi

say "browser test (headless Chromium)"
(cd "$GSP_ROOT/tests/browser" && { [ -d node_modules/playwright-core ] || npm install --no-audit --no-fund --silent >/dev/null 2>&1; } &&
  GSP_TEST_BASE_URL="http://127.0.0.1:$PORT" GSP_SCREENSHOT_DIR="$GSP_BUILD" GSP_TEST_REGISTRY_PORT="$REGISTRY_PORT" \
    GSP_TEST_RELAY_PORT="$RELAY_PORT" GSP_TEST_SQL="mariadb --no-defaults -S $STATE/db/run/mysqld.sock -uroot gsp" \
    node --test signin.test.mjs servers.test.mjs) \
  >"$STATE/browser.out" 2>&1
rc=$?
b_pass=$(grep -E '^# pass ' "$STATE/browser.out" | awk '{print $3}'); b_fail=$(grep -E '^# fail ' "$STATE/browser.out" | awk '{print $3}')
echo "${b_pass:-0} passed, ${b_fail:-1} failed" >>"$STATE/browser.out"
count_runner browser_test "$STATE/browser.out" $rc

say "packaging and service checks"
verify_units() {
  local root="$STATE/install"
  rm -rf "$root"
  make -C "$GSP_BUILD" install DESTDIR="$root" >/dev/null
  local p=$root$GSP_PREFIX
  test -x "$p/sbin/gsp-web" && test -f "$p/etc/gsp/gsp.ini.example" &&
    test -f "$p/etc/nginx/sites-available/gsp-site.conf" && test -f "$p/share/gsp/templates/layout.tpl" &&
    test -f "$p/share/gsp/sql/001_initial_schema.sql" && test -f "$p/share/gsp/static/style.css" || return 1
  # verify checks that ExecStart exists, so point it at the staged binary.
  local units="$STATE/units"
  mkdir -p "$units"
  for unit in gsp-web.service gsp-agent.service gsp-lifecycle.service; do
    sed "s|$GSP_PREFIX/sbin/|$p/sbin/|" "$p/lib/systemd/system/$unit" >"$units/$unit"
  done
  cp "$p/lib/systemd/system/gsp-web.socket" "$p/lib/systemd/system/gsp-lifecycle.timer" "$units/"
  # gsp-web never joins the docker group; only the agent does.
  ! grep -q '^SupplementaryGroups' "$units/gsp-web.service" && grep -q '^SupplementaryGroups=docker' "$units/gsp-agent.service" || return 1
  systemd-analyze verify "$units/gsp-web.service" "$units/gsp-web.socket" "$units/gsp-agent.service" \
    "$units/gsp-lifecycle.service" "$units/gsp-lifecycle.timer" 2>&1 | tee "$STATE/verify.out"
  ! grep -q . "$STATE/verify.out"
}
check "install puts every file in place and systemd-analyze verify passes" verify_units
dist_is_complete() {
  # What `make distcheck` (run before a release; minutes long) most often trips
  # on is a file missing from the tarball: compare the tarball with git.
  rm -f "$GSP_BUILD"/gsp-*.tar.gz
  make -C "$GSP_BUILD" dist >/dev/null 2>&1 || return 1
  tar tzf "$GSP_BUILD"/gsp-*.tar.gz | sed 's|^gsp-[^/]*/||' | sort >"$STATE/dist.list"
  git -C "$GSP_ROOT" ls-files | grep -vE '(^|/)\.gitignore$|^\.ci/|^m4/\.gitkeep$' | sort >"$STATE/tracked.list"
  local missing; missing=$(comm -13 "$STATE/dist.list" "$STATE/tracked.list")
  [ -z "$missing" ] || { echo "missing from the release tarball:"; echo "$missing"; return 1; }
}
check "the release tarball (make dist) holds every tracked file" dist_is_complete
web_cannot_open_docker() {
  # gsp-web runs as its user with no supplementary group, and the engine's socket is closed to it.
  local groups; groups=$(awk '/^Groups:/ {$1=""; print}' "/proc/$WEB_PID/status")
  echo "gsp-web: uid $(awk '/^Uid:/ {print $2}' "/proc/$WEB_PID/status"), groups '${groups# }'; docker socket $(stat -c '%A %U:%G' /var/run/docker.sock)"
  [ "$(awk '/^Uid:/ {print $2}' "/proc/$WEB_PID/status")" = "$(id -u "$GSP_WEB_USER")" ] &&
    [ -z "${groups// /}" ] && ! runuser -u "$GSP_WEB_USER" -- test -w /var/run/docker.sock &&
    ! ldd "$GSP_PREFIX/sbin/gsp-web" | grep -q libcurl &&
    ! "$GSP_PREFIX/sbin/gsp-web" --help | grep -q 'docker\.'
}
check "gsp-web runs unprivileged: not root, no docker group, no Docker client, no Docker option" web_cannot_open_docker
pull_images_through_the_agent() {
  # The operator's pre-pull: gsp-admin asks the agent (it links no Docker client
  # either); an image the registry lacks is reported, the others are on the host.
  ! ldd "$GSP_PREFIX/sbin/gsp-admin" | grep -q libcurl || return 1
  "$GSP_PREFIX/sbin/gsp-admin" --config="$STATE/gsp.ini" pull-images >"$STATE/pull-images.out" 2>&1
  local rc=$?
  cat "$STATE/pull-images.out"
  [ "$rc" -eq 1 ] && grep -qE '^demo-game +[^ ]+ \.\.\. on the host$' "$STATE/pull-images.out" &&
    grep -qE '^demo-game-missing .*could not be downloaded.*not found' "$STATE/pull-images.out" &&
    grep -qE '^demo-game-pulled .* on the host$' "$STATE/pull-images.out" &&
    docker image inspect "127.0.0.1:$REGISTRY_PORT/gsp-demo-game-pulled:test" >/dev/null
}
check "gsp-admin pull-images has the agent pull the catalog's images, naming those it cannot" pull_images_through_the_agent
check "nginx accepts the production site file" bash -c "
  sh '$GSP_ROOT/nginx/render-site.sh' '$GSP_ROOT/nginx/gsp-site.conf.in' listen=127.0.0.1:1 \
    fcgi_socket=/run/gsp/gsp-web.sock webhook_socket=$STATE/prod-webhook.sock static_dir=/usr/share/gsp/static \
    backup_dir=/var/lib/gsp/backups auth_rate=10 servers_rate=10 \
    > '$STATE/nginx/prod-site.conf' &&
  sed 's|include $STATE/nginx/gsp-site.conf;|include $STATE/nginx/prod-site.conf;|' '$STATE/nginx/nginx.conf' > '$STATE/nginx/prod.conf' &&
  nginx -t -q -p '$STATE/nginx' -c '$STATE/nginx/prod.conf' -e '$STATE/nginx/prod-error.log'"
check "gsp-web --help lists its options; a bad value is refused by name" bash -c "
  '$GSP_PREFIX/sbin/gsp-web' --help | grep -q 'web.threads' &&
  ! '$GSP_PREFIX/sbin/gsp-web' --config='$STATE/gsp.ini' --web.threads=0 2>'$STATE/bad.out' &&
  grep -q 'web.threads' '$STATE/bad.out'"
sigterm_exits_cleanly() {
  # A request in flight when SIGTERM arrives is still answered; then exit 0.
  curl -s -o "$STATE/inflight.out" -w '%{http_code}' "http://127.0.0.1:$PORT/auth/login" >"$STATE/inflight.code" &
  local curl_pid=$!
  kill -TERM "$WEB_PID"
  wait "$WEB_PID"; local rc=$?
  wait $curl_pid
  echo "gsp-web exit code $rc, in-flight request answered $(cat "$STATE/inflight.code")"
  [ "$rc" -eq 0 ] && [ ! -S "$STATE/web/gsp-web.sock" ]
}
check "gsp-web exits 0 on SIGTERM and removes its socket" sigterm_exits_cleanly

# ---- sidecar proxy (proxy/README.md): unit, integration (real demo game, real
# Docker engine for the images) and Minecraft tests with npm's minecraft-protocol.
say "proxy tests (gsp-proxy, gsp-demo-game, images, Minecraft client)"
make -C "$GSP_BUILD" -j"$(nproc)" proxy/gsp-proxy proxy/gsp-demo-game tests/proxy/proxy_unit_tests \
  tests/proxy/proxy_integration_tests >>"$GSP_BUILD/make.out" 2>&1 || grep -E 'error' "$GSP_BUILD/make.out" | tail -20
"$GSP_BUILD/tests/proxy/proxy_unit_tests" >"$STATE/proxy-unit.out" 2>&1
count_runner proxy_unit_tests "$STATE/proxy-unit.out" $?
start_dockerd "$STATE" || echo "dockerd did not start: the image test will fail"
"$GSP_BUILD/tests/proxy/proxy_integration_tests" >"$STATE/proxy-integration.out" 2>&1
count_runner proxy_integration_tests "$STATE/proxy-integration.out" $?
(cd "$GSP_ROOT/tests/proxy/minecraft" && { [ -d node_modules/minecraft-protocol ] || npm install --no-audit --no-fund --silent >/dev/null 2>&1; } &&
  GSP_PROXY_BIN="$GSP_BUILD/proxy/gsp-proxy" node --test minecraft.test.mjs) >"$STATE/proxy-minecraft.out" 2>&1
rc=$?
m_pass=$(grep -E '^# pass ' "$STATE/proxy-minecraft.out" | awk '{print $3}'); m_fail=$(grep -E '^# fail ' "$STATE/proxy-minecraft.out" | awk '{print $3}')
echo "${m_pass:-0} passed, ${m_fail:-1} failed" >>"$STATE/proxy-minecraft.out"
count_runner proxy_minecraft_test "$STATE/proxy-minecraft.out" $rc
# Server-browser answers of the UDP games, with npm's gamedig as the client.
(cd "$GSP_ROOT/tests/proxy/queries" && { [ -d node_modules/gamedig ] || npm install --no-audit --no-fund --silent >/dev/null 2>&1; } &&
  GSP_PROXY_BIN="$GSP_BUILD/proxy/gsp-proxy" GSP_DEMO_GAME_BIN="$GSP_BUILD/proxy/gsp-demo-game" \
    node --test queries.test.mjs) >"$STATE/proxy-queries.out" 2>&1
rc=$?
q_pass=$(grep -E '^# pass ' "$STATE/proxy-queries.out" | awk '{print $3}'); q_fail=$(grep -E '^# fail ' "$STATE/proxy-queries.out" | awk '{print $3}')
echo "${q_pass:-0} passed, ${q_fail:-1} failed" >>"$STATE/proxy-queries.out"
count_runner proxy_queries_test "$STATE/proxy-queries.out" $rc

# ---- Docker Engine API client (src/docker): unit tests with a fake engine on a
# unix socket, then the real engine with a busybox image built from busybox-static.
say "docker client tests (fake engine, real dockerd)"
make -C "$GSP_BUILD" -j"$(nproc)" tests/docker/docker_unit_tests tests/docker/docker_integration_tests \
  >>"$GSP_BUILD/make.out" 2>&1 || grep -E 'error' "$GSP_BUILD/make.out" | tail -20
"$GSP_BUILD/tests/docker/docker_unit_tests" >"$STATE/docker-unit.out" 2>&1
count_runner docker_unit_tests "$STATE/docker-unit.out" $?
start_dockerd "$STATE" || echo "dockerd did not start: the docker integration tests will fail"
"$GSP_ROOT/tests/docker/build_test_image.sh" >"$STATE/docker-image.out" 2>&1 || cat "$STATE/docker-image.out"
"$GSP_BUILD/tests/docker/docker_integration_tests" >"$STATE/docker-integration.out" 2>&1
count_runner docker_integration_tests "$STATE/docker-integration.out" $?

# ---- fuzzing: each libFuzzer target (make fuzz) on a copy of its seed corpus
# for a bounded time; any crash or sanitizer report fails it (tests/fuzz/).
FUZZ_SECONDS=${GSP_FUZZ_SECONDS:-10}
say "fuzzing ($FUZZ_SECONDS s a target)"
fuzz_target() {  # fuzz_target NAME
  local corpus="$STATE/fuzz-$1"
  rm -rf "$corpus" && cp -r "$GSP_ROOT/tests/fuzz/corpus/$1" "$corpus" || return 1
  "$GSP_BUILD/fuzz/$1_fuzzer" -max_total_time="$FUZZ_SECONDS" -max_len=2048 -print_final_stats=1 \
    -artifact_prefix="$STATE/fuzz-crash-$1-" "$corpus" >"$STATE/fuzz-$1.out" 2>&1
  local rc=$?
  grep -E '^Done [0-9]+ runs|DONE +cov' "$STATE/fuzz-$1.out" | tail -2
  [ "$rc" -eq 0 ] || { grep -E 'ERROR|SUMMARY|Test unit written' "$STATE/fuzz-$1.out" | head -5; return 1; }
}
if make -C "$GSP_BUILD" fuzz >>"$GSP_BUILD/make.out" 2>&1; then
  for source in "$GSP_ROOT"/tests/fuzz/*_fuzzer.cc; do
    target=$(basename "$source" _fuzzer.cc)
    check "fuzz $target: no crash, no sanitizer report" fuzz_target "$target"
    grep -E '^Done [0-9]+ runs|DONE +cov' "$STATE/fuzz-$target.out" | tail -2
  done
else
  check "the fuzz targets build (make fuzz)" false
fi

# ---- AddressSanitizer + UndefinedBehaviorSanitizer: a second build, in
# build-asan/, of every test program and daemon. It runs the unit suites, the
# proxy's integration suite (with gsp-proxy and gsp-demo-game sanitized), and
# SAN_SUITES of the platform's integration suite with gsp-web, gsp-agent,
# gsp-lifecycle and gsp-admin sanitized in place of the installed ones. Any
# report, a leak included, fails the program that shows it.
say "sanitizers (ASan + UBSan build; unit suites, the proxy's integration suite, part of the platform's)"
SAN_SUITES=${GSP_SAN_SUITES:-"SiteTest AgentTest ServersTest LifecycleTest"}
SAN_BUILD=$GSP_ROOT/build-asan
# The platform's daemons from build-asan, started as the services are, under
# SAN_SUITES; every process writes its reports to STATE/asan-logs, which must
# stay empty (leaks are reported when a daemon exits on SIGTERM).
sanitized_platform() {
  local sbin=$GSP_PREFIX/sbin-asan logs=$STATE/asan-logs
  install -d -m 0755 "$sbin" && install -m 0755 "$SAN_BUILD"/src/gsp-{web,agent,lifecycle,admin} "$sbin"/
  rm -rf "$logs" && install -d -m 1777 "$logs"
  (
    export GSP_SBIN=$sbin
    export ASAN_OPTIONS="detect_leaks=1:log_path=$logs/asan" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"
    stop_agent "$STATE" && start_agent "$STATE" && start_web "$STATE" || exit 1
    # shellcheck disable=SC2086
    run_integration "$STATE/asan-integration.out" "$SAN_BUILD/tests/integration_tests" $SAN_SUITES
    echo $? >"$STATE/asan-integration.rc"
    stop_web "$STATE"
    stop_agent "$STATE"
  ) >"$STATE/asan-platform.out" 2>&1 || cat "$STATE/asan-platform.out"
  count_runner asan_integration_tests "$STATE/asan-integration.out" "$(cat "$STATE/asan-integration.rc" 2>/dev/null || echo 1)"
  no_sanitizer_reports() {
    local reports=("$logs"/*) report
    [ -e "${reports[0]}" ] || return 0
    for report in "${reports[@]}"; do echo "== $report"; head -40 "$report"; done
    return 1
  }
  check "no sanitizer report from gsp-web, gsp-agent, gsp-lifecycle or gsp-admin (leaks at exit included)" \
    no_sanitizer_reports
}
SAN_FLAGS="-g1 -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
mkdir -p "$SAN_BUILD"
if [ ! -f "$SAN_BUILD/Makefile" ] || [ "$GSP_ROOT/configure" -nt "$SAN_BUILD/Makefile" ]; then
  (cd "$SAN_BUILD" && "$GSP_ROOT/configure" --prefix="$GSP_PREFIX" CXXFLAGS="$SAN_FLAGS" \
    LDFLAGS="-fsanitize=address,undefined" >configure.out 2>&1) || tail -20 "$SAN_BUILD/configure.out"
fi
if make -C "$SAN_BUILD" -j"$(nproc)" tests/unit_tests tests/proxy/proxy_unit_tests tests/docker/docker_unit_tests \
    tests/docker/docker_integration_tests proxy/gsp-proxy proxy/gsp-demo-game tests/proxy/proxy_integration_tests \
    src/gsp-web src/gsp-agent src/gsp-lifecycle src/gsp-admin tests/integration_tests >"$SAN_BUILD/make.out" 2>&1; then
  for program in tests/unit_tests tests/proxy/proxy_unit_tests tests/docker/docker_unit_tests \
      tests/docker/docker_integration_tests \
      "tests/proxy/proxy_integration_tests ProxyTcpTest ProxyUdpTest ProxyMinecraftTest DemoGameTest"; do
    name=$(basename "${program%% *}")
    # shellcheck disable=SC2086
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$SAN_BUILD"/$program >"$STATE/asan-$name.out" 2>&1
    count_runner "asan_$name" "$STATE/asan-$name.out" $?
  done
  sanitized_platform
else
  grep -E 'error' "$SAN_BUILD/make.out" | tail -20
  check "the sanitizer build (build-asan) compiles" false
fi

# ---- the soak's short form (scripts/soak.sh): a platform of its own with 20
# servers for 3 minutes of players, backups and lifecycle passes while it
# restarts MariaDB and the Docker engine and kills the agent, gsp-web and a
# proxy; each of its invariants is a test case. It restarts the engine, so it
# comes after everything else that uses it. Its state stays in GSP_VAR/soak-PID
# until the next soak.
say "the soak with faults, short form (scripts/soak.sh ${GSP_SOAK:-20 3})"
# shellcheck disable=SC2086
GSP_REUSE_BUILD=$GSP_BUILD SOAK_KEEP=1 bash "$GSP_ROOT/scripts/soak.sh" ${GSP_SOAK:-20 3} >"$STATE/soak.out" 2>&1
soak_rc=$?
sed -n '/^---- invariants/,/^[0-9]* passed/p' "$STATE/soak.out"
count_runner soak "$STATE/soak.out" $soak_rc

# ---- the run command from a checkout in a private folder (mode 0700, owned by
# root, as /root is): it must serve from what it installed, not from the
# checkout. Reuses this suite's build; its own state, port and port range.
say "the run command from a private checkout"
run_command_from_private_checkout() {
  local dir; dir=$(mktemp -d)
  [ "$(stat -c %a "$dir")" = 700 ] || return 1
  (cd "$GSP_ROOT" && git ls-files -z | tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$dir"
  local var=$STATE/private-run port; port=$(free_port)
  GSP_REUSE_BUILD=$GSP_BUILD GSP_VAR=$var GSP_OBJECT_PREFIX=gspprivate GSP_PORT_MIN=32500 GSP_PORT_MAX=32599 \
    setsid bash "$dir/scripts/run-local.sh" "$port" </dev/null >"$STATE/private-run.out" 2>&1 &
  local pid=$! up=0
  for _ in $(seq 1 1800); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/auth/login" && { up=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  local rc=1
  if [ "$up" = 1 ]; then
    echo "the dashboard answers on port $port; creating and waking a Demo Game server"
    GSP_TEST_BASE_URL="http://127.0.0.1:$port" GSP_TEST_CONFIG="$var/local/gsp.ini" \
      GSP_TEST_WEBHOOK_SOCKET="$var/local/webhook/webhook.sock" \
      "$GSP_BUILD/tests/integration_tests" ServersTest::createWakeHibernateDelete
    rc=$?
  else
    tail -20 "$STATE/private-run.out"
  fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"; local stopped=$?
  echo "the run command exited $stopped after SIGTERM"
  remove_docker_objects gspprivate
  rm -rf "$dir"
  [ "$rc" -eq 0 ] && [ "$stopped" -eq 0 ]
}
check "the run command works from a checkout in a 0700 folder (dashboard, create and wake)" \
  run_command_from_private_checkout
unreachable_path_is_named() {
  local dir; dir=$(mktemp -d)
  mkdir "$dir/site" && touch "$dir/site/style.css"
  local out; out=$( (require_reachable "$GSP_NGINX_USER" "nginx's worker" "$dir/site/style.css") 2>&1 )
  local rc=$?
  rm -rf "$dir"
  echo "$out"
  [ "$rc" -ne 0 ] && echo "$out" | grep -qF "runs as user '$GSP_NGINX_USER' and cannot reach $dir/site/style.css: $dir is drwx------ root:root"
}
check "a path a service user cannot reach stops the commands with the folder and the user" unreachable_path_is_named

echo
for name in "${FAILED_NAMES[@]}"; do echo "FAILED: $name"; done
echo "logs: $STATE"
echo "took $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
