#!/usr/bin/env bash
# Soak test with faults (on demand; scripts/test.sh runs it as "20 3"): starts a
# private platform the way the test command does (state in
# /var/lib/gsp-local/soak-PID, objects labelled gsp.installation=gspsoak, game
# ports 33000-33999), signs in a few users, creates SERVERS Demo Game servers,
# then for MINUTES keeps players connecting over TCP and UDP (waking servers),
# polls the pages, takes backups, deletes a few servers, runs a lifecycle pass
# every ~20 s with its clock moving ahead (so idle servers sleep and hours are
# charged), and injects faults: a MariaDB restart, a Docker engine restart,
# SIGKILL of gsp-agent and of gsp-web, a killed proxy container and a full
# hold queue. At the end it checks the invariants and prints one line per
# invariant, then "N passed, M failed"; non-zero exit on any failure.
#
# Usage: scripts/soak.sh [SERVERS] [MINUTES]     (defaults 200 and 10)
# Each server has a Docker network of its own, a /28 of servers.network-pool
# (the first invariant says how many servers were created).
# Reuses an existing build (GSP_REUSE_BUILD, default ./build): never configures
# or compiles. SOAK_KEEP=1 keeps the state folder (logs, database) afterwards.
# Knobs: SOAK_USERS (4), SOAK_CLIENTS (players at once), SOAK_TICK_SECONDS (20),
# SOAK_TICK_STEP_MINUTES (8: how far each pass's clock moves ahead),
# SOAK_HOLD_CLIENTS (100), SOAK_RSS_FACTOR (1.5).
set -uo pipefail
# Before lib.sh: it decides from GSP_REUSE_BUILD whether to build at all.
export GSP_REUSE_BUILD=${GSP_REUSE_BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build}
source "$(dirname "$0")/lib.sh"

SERVERS=${1:-200}
MINUTES=${2:-10}
[[ "$SERVERS" =~ ^[1-9][0-9]*$ && "$MINUTES" =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/soak.sh [SERVERS] [MINUTES]"
[ "$(id -u)" = 0 ] || die "run as root (it starts the platform as its service users), like scripts/test.sh"
[ -x "$GSP_BUILD/src/gsp-web" ] || die "no build in $GSP_BUILD: run scripts/test.sh (or make) first"
USERS=${SOAK_USERS:-4}
[ "$USERS" -gt "$SERVERS" ] && USERS=$SERVERS
CLIENTS=${SOAK_CLIENTS:-$((SERVERS / 5))}
[ "$CLIENTS" -lt 6 ] && CLIENTS=6
[ "$CLIENTS" -gt 40 ] && CLIENTS=40
TICK_SECONDS=${SOAK_TICK_SECONDS:-20}
TICK_STEP=$((${SOAK_TICK_STEP_MINUTES:-8} * 60))
HOLD_CLIENTS=${SOAK_HOLD_CLIENTS:-100}
RSS_FACTOR=${SOAK_RSS_FACTOR:-1.5}
# Deleted during the run, so the orphan check has deletes (some under faults) to look at.
DELETES=$((SERVERS / 20)); [ "$DELETES" -lt 1 ] && DELETES=1
DURATION=$((MINUTES * 60))

# Only one soak at a time: they share the object prefix and the port range.
for old in "$GSP_VAR"/soak-*/; do
  [ -d "$old" ] || continue
  old=${old%/}
  pid=${old##*/soak-}
  if [ "$pid" != $$ ] && kill -0 "$pid" 2>/dev/null && grep -q soak.sh "/proc/$pid/cmdline" 2>/dev/null; then
    die "another soak run (pid $pid) is running; its state is $old"
  fi
  # A killed run leaves its services behind: stop them before their state goes.
  stop_all "$old" 2>/dev/null
  rm -rf "$old"
done

set -e
install_packages
build_platform  # returns at once: GSP_REUSE_BUILD is set
# Install only when the build is newer than what /opt/gsp-local holds: a
# `make install` writes into the build folder (make.out), which stays as it is.
need_install=0
for prog in gsp-web gsp-agent gsp-lifecycle gsp-admin; do
  [ -x "$GSP_PREFIX/sbin/$prog" ] && [ ! "$GSP_BUILD/src/$prog" -nt "$GSP_PREFIX/sbin/$prog" ] || need_install=1
done
[ -f "$GSP_PREFIX/share/gsp/templates/layout.tpl" ] || need_install=1
if [ "$need_install" = 1 ]; then install_platform; else say "reusing the programs installed in $GSP_PREFIX"; fi
ensure_service_users
set +e

STATE=$GSP_VAR/soak-$$
prepare_state "$STATE"
S=$STATE/soak  # the soak's own records
mkdir -p "$S/users"
SQL() { mariadb --no-defaults -S "$STATE/db/run/mysqld.sock" -uroot gsp -N -B "$@"; }
now_ms() { date +%s%3N; }
STOP=$S/stop
BG_PIDS=()
DOCKERD_WAS_UP=0
curl -sf --unix-socket /var/run/docker.sock http://localhost/_ping 2>/dev/null | grep -q OK && DOCKERD_WAS_UP=1

cleanup() {
  touch "$STOP" 2>/dev/null
  local pid
  for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  sleep 0.5
  for pid in "${BG_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
  stop_all "$STATE" 2>/dev/null
  # The engine may be down after a fault: objects can only go with it up.
  start_dockerd "$STATE" >/dev/null 2>&1 && remove_docker_objects "$GSP_OBJECT_PREFIX" 2>/dev/null
  # An engine this run started (none answered when it began) stops with it, by its pid.
  if [ "$DOCKERD_WAS_UP" = 0 ] && [ -f /var/run/docker.pid ]; then
    kill -TERM "$(cat /var/run/docker.pid)" 2>/dev/null
  fi
  if [ "${SOAK_KEEP:-0}" = 1 ]; then echo "state kept: $STATE"; else rm -rf "$STATE"; fi
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting the Docker engine"
start_dockerd "$STATE" || die "the Docker engine did not start (see $STATE/dockerd.log)"
export GSP_OBJECT_PREFIX=gspsoak
# Apart from the local run (30000-30999), the tests (31000-31999) and the
# test of the run command (32500-32599).
export GSP_PORT_MIN=33000 GSP_PORT_MAX=33999
# Objects of a deleted server that a delete left behind go within the final passes.
export GSP_ORPHAN_GRACE_SECONDS=${SOAK_ORPHAN_GRACE_SECONDS:-60}
remove_docker_objects "$GSP_OBJECT_PREFIX"
VERSION=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$GSP_BUILD/config.h")
if ! docker image inspect "gsp-proxy:$VERSION" >/dev/null 2>&1 || ! docker image inspect "gsp-demo-game:$VERSION" >/dev/null 2>&1; then
  say "building the gsp-proxy and gsp-demo-game images"
  build_images
fi

say "starting MariaDB, gsp-agent, gsp-web and nginx"
set -e
start_mariadb "$STATE"
create_database "$STATE"
# The servers go to a few users: raise the per-user limit (a second [servers] section).
write_config "$STATE" "[servers]" "max-per-user = $((SERVERS + 10))"
migrate "$STATE" >/dev/null
start_agent "$STATE"
start_web "$STATE"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
# The tests' rate limits: the soak's page polls come from a few sessions.
start_nginx "$STATE" "$PORT" 200 200
set +e
# The services are started in the background of this shell: their SIGKILL
# (a fault) is no news to report, and the loops are waited for by pid.
disown -a
# An access log (milliseconds, status, listener) so the proxies' webhooks, which
# no client of ours sees, are checked for 5xx too; then reload nginx.
sed -i "s|access_log off;|log_format soak '\$msec \$status \$request_method \$uri \$server_name'; access_log $STATE/nginx/access.log soak;|" \
  "$STATE/nginx/nginx.conf"
nginx -s reload -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" -e "$STATE/nginx/error.log" ||
  echo "warning: nginx did not reload with an access log; only the clients' status codes are checked"
sleep 1

# ---- records: every web request ("ms code method path"), fault windows
# ("name start_ms end_ms ok|FAILED detail"), RSS samples ("s name pid kb").
WEBLOG=$S/web.log
FAULTS=$S/faults.log
RSSLOG=$S/rss.log
touch "$WEBLOG" "$FAULTS" "$RSSLOG"
# Jars are written only while signing in: the loops share them, and a flash
# cookie they would save is of no use to them.
JAR_WRITE=1
web() {  # web JAR METHOD PATH [curl args...]: prints "code redirect"
  local jar=$1 method=$2 path=$3; shift 3
  local out; out=$(curl -s -o /dev/null --max-time 30 -w '%{http_code} %{redirect_url}' -b "$jar" \
    ${JAR_WRITE:+-c "$jar"} -X "$method" "$@" "$BASE$path")
  echo "$(now_ms) ${out%% *} $method $path" >>"$WEBLOG"
  echo "$out"
}
form_field() { sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" | head -1; }

say "signing in $USERS users and creating $SERVERS servers"
GAME_ID=$(SQL -e "SELECT id FROM game_images WHERE slug = 'demo-game'")
[ -n "$GAME_ID" ] || die "no demo-game in the catalog"
for u in $(seq 1 "$USERS"); do
  jar=$S/users/$u.jar
  # The mock provider's consent page, then its form (CSRF token of the pre-session).
  page=$(curl -s -b "$jar" -c "$jar" "$BASE/auth/mock/google?next=%2Fdashboard")
  csrf=$(form_field csrf_token <<<"$page")
  out=$(web "$jar" POST /auth/mock-login --data-urlencode "provider=google" --data-urlencode "csrf_token=$csrf" \
    --data-urlencode "next=/dashboard" --data-urlencode "email=soak-$u-$$@example.com")
  [ "${out%% *}" = 303 ] || die "sign-in of user $u answered $out"
  # Signed in, the CSRF token follows the session: any form carries it.
  csrf=$(curl -s -b "$jar" "$BASE/billing" | form_field csrf_token)
  [ -n "$csrf" ] || die "no CSRF token on /billing for user $u"
  echo "$csrf" >"$S/users/$u.csrf"
  # A mock deposit on top of the sign-up credit: a whole run of hours for every server.
  out=$(web "$jar" POST /billing/add-funds --data-urlencode "csrf_token=$csrf" --data-urlencode "amount=500" \
    --data-urlencode "idempotency_key=$(openssl rand -hex 16)")
  [ "${out%% *}" = 303 ] || die "the deposit of user $u answered $out"
done
: >"$S/servers"
JAR_WRITE=
for i in $(seq 1 "$SERVERS"); do
  u=$(( (i - 1) % USERS + 1 ))
  out=$(web "$S/users/$u.jar" POST /servers/create --data-urlencode "csrf_token=$(cat "$S/users/$u.csrf")" \
    --data-urlencode "game_id=$GAME_ID" --data-urlencode "name=soak-$i")
  sid=$(sed -n 's|.*/servers/\([0-9][0-9]*\)$|\1|p' <<<"${out#* }")
  [ "${out%% *}" = 303 ] && [ -n "$sid" ] || die "creating server $i answered $out"
  echo "$sid $u soak-$i" >>"$S/servers"
done
deadline=$((SECONDS + 60 + 2 * SERVERS))
while [ "$(SQL -e "SELECT COUNT(*) FROM servers WHERE state IN ('CREATING', 'DELETING')")" != 0 ]; do
  [ $SECONDS -ge $deadline ] && break
  sleep 1
done
# A create may fail (a full engine): the soak goes on with the servers that
# were made, and an invariant says how many were not, and why.
SQL -e "SELECT id FROM servers WHERE state = 'SLEEPING'" >"$S/created"
awk 'NR == FNR {ok[$1] = 1; next} $1 in ok' "$S/created" "$S/servers" >"$S/servers.ok" && mv "$S/servers.ok" "$S/servers"
CREATED=$(wc -l <"$S/servers")
CREATE_FAILURES=$(SQL -e "SELECT CONCAT(COUNT(*), ' x \"', LEFT(message, 160), '\"') FROM jobs
                          WHERE kind = 'CREATE' AND state = 'FAILED' GROUP BY LEFT(message, 160)" | paste -sd';')
if [ "$CREATED" -lt "$SERVERS" ]; then
  say "only $CREATED of $SERVERS servers were created: ${CREATE_FAILURES:-$(SQL -e "SELECT CONCAT(id, ' ', state) FROM servers WHERE state <> 'SLEEPING' LIMIT 5" | paste -sd,)}"
fi
[ "$CREATED" -gt 0 ] || die "no server was created"
# id tcp-port udp-port, for the players.
SQL -e "SELECT s.id, MAX(IF(p.protocol = 'tcp', p.public_port, 0)), MAX(IF(p.protocol = 'udp', p.public_port, 0))
        FROM servers s JOIN server_ports p ON p.server_id = s.id WHERE s.state = 'SLEEPING' GROUP BY s.id" >"$S/ports"
: >"$S/deleted"
say "$CREATED servers created and asleep; base URL $BASE"

# ---- the players (python: many sockets with timeouts are clearer there).
cat >"$S/players.py" <<'PY'
# Players of the soak. Modes:
#   run PORTS DELETED STOP OUT THREADS: loops until STOP exists; one line per
#     session: "ms tcp|udp server outcome latency_ms"
#   hold PORT N OUT: N TCP clients at once on one server; prints a summary
#   probe PORTS: a TCP connect to every live server's port; prints the failures
import os, random, socket, sys, threading, time

WAKE_TIMEOUT = 90

def now_ms():
    return int(time.time() * 1000)

def read_ports(path, deleted_path=None):
    gone = set()
    if deleted_path and os.path.exists(deleted_path):
        gone = {l.split()[0] for l in open(deleted_path) if l.strip()}
    out = []
    for line in open(path):
        sid, tcp, udp = line.split()
        if sid not in gone:
            out.append((sid, int(tcp), int(udp)))
    return out

def recv_exact(s, want, deadline, stop=None):
    got = b""
    while len(got) < len(want):
        if time.time() > deadline or (stop and os.path.exists(stop)):
            return got, "timeout"
        try:
            chunk = s.recv(4096)
        except socket.timeout:
            continue
        except OSError:
            return got, "reset"
        if not chunk:
            return got, "closed"
        got += chunk
    return got, "ok" if got == want else "garbled"

class Run:
    def __init__(self, ports, deleted, stop, out):
        self.ports_path, self.deleted, self.stop = ports, deleted, stop
        self.out = open(out, "a", buffering=1)
        self.lock = threading.Lock()
        self.n = 0

    def log(self, kind, sid, outcome, ms):
        with self.lock:
            self.out.write(f"{now_ms()} {kind} {sid} {outcome} {ms}\n")

    def stopped(self):
        return os.path.exists(self.stop)

    def echo(self, s, line, deadline):
        """Sends a line and waits for it back: "ok", "send-failed", "timeout"..."""
        try:
            s.sendall(line)
        except OSError:
            return "send-failed"
        return recv_exact(s, line, deadline, self.stop)[1]

    def tcp(self, sid, port, n):
        t0 = time.time()
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError as e:
            self.log("tcp", sid, "connect-" + type(e).__name__, int((time.time() - t0) * 1000))
            return
        s.settimeout(1.0)
        with s:
            outcome = self.echo(s, b"soak %d\n" % n, t0 + WAKE_TIMEOUT)
            self.log("tcp", sid, outcome, int((time.time() - t0) * 1000))
            r = random.random()
            if outcome != "ok" or r < 0.2:
                return  # in and out at once (a wake with such a player only may count as a phantom)
            # Most say something more a second or two later; some stay a while.
            until = time.time() + (random.uniform(1, 2) if r < 0.65 else random.uniform(10, 45))
            while time.time() < until and not self.stopped():
                time.sleep(random.uniform(2, 6))
                outcome = self.echo(s, b"still here %d\n" % n, time.time() + 15)
                if outcome != "ok":
                    self.log("tcp-stay", sid, outcome, 0)
                    return
            self.log("tcp-stay", sid, "ok", 0)

    def udp(self, sid, port, n):
        t0 = time.time()
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.5)
        with s:
            try:
                s.connect(("127.0.0.1", port))
            except OSError as e:
                self.log("udp", sid, "connect-" + type(e).__name__, 0)
                return
            # Two datagrams: a lone one never wakes a game (a scanner's probe);
            # a real client repeats its join until answered.
            msgs = [b"join %d a" % n, b"join %d b" % n]
            last_send = 0
            refused = 0
            while time.time() < t0 + WAKE_TIMEOUT and not self.stopped():
                if time.time() - last_send > 3:
                    for m in msgs:
                        try:
                            s.send(m)
                        except OSError:
                            refused += 1
                    last_send = time.time()
                try:
                    data = s.recv(2048)
                except socket.timeout:
                    continue
                except OSError:  # ICMP refusal: the port is not open (yet)
                    refused += 1
                    time.sleep(0.5)
                    continue
                if data in msgs:
                    self.log("udp", sid, "ok", int((time.time() - t0) * 1000))
                    # A UDP session counts as a player after 30 s of traffic both
                    # ways (--udp-player-after): some stay that long, most do not.
                    stay = random.uniform(35, 50) if random.random() < 0.3 else random.uniform(0, 3)
                    until, k, lost = time.time() + stay, 0, 0
                    while time.time() < until and not self.stopped():
                        k += 1
                        try:
                            s.send(b"move %d %d" % (n, k))
                            s.recv(2048)
                        except socket.timeout:
                            lost += 1
                        except OSError:
                            lost += 1
                        time.sleep(min(2.0, max(0.0, until - time.time())))
                    if stay > 30:
                        self.log("udp-stay", sid, "ok" if lost < k / 2 else "lost-%d-of-%d" % (lost, k), 0)
                    return
            self.log("udp", sid, "timeout" if refused == 0 else "timeout-icmp", int((time.time() - t0) * 1000))

    def worker(self):
        while not self.stopped():
            ports = read_ports(self.ports_path, self.deleted)
            if not ports:
                time.sleep(1)
                continue
            sid, tcp, udp = random.choice(ports)
            with self.lock:
                self.n += 1
                n = self.n
            if random.random() < 0.7:
                self.tcp(sid, tcp, n)
            else:
                self.udp(sid, udp, n)
            time.sleep(random.uniform(0.2, 3))

def run(ports, deleted, stop, out, threads):
    r = Run(ports, deleted, stop, out)
    ts = [threading.Thread(target=r.worker, daemon=True) for _ in range(int(threads))]
    for t in ts:
        t.start()
    while not r.stopped():
        time.sleep(0.5)
    for t in ts:
        t.join(timeout=3)

def hold(port, n, out):
    # Everyone at once on one sleeping server: the proxy holds them while the game wakes.
    results = []
    lock = threading.Lock()
    def one(i):
        t0 = time.time()
        try:
            s = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
        except OSError as e:
            outcome = "connect-" + type(e).__name__
        else:
            s.settimeout(1.0)
            with s:
                line = b"held %d\n" % i
                try:
                    s.sendall(line)
                    _, outcome = recv_exact(s, line, t0 + 150)
                except OSError:
                    outcome = "send-failed"
        with lock:
            results.append((outcome, time.time() - t0))
    ts = [threading.Thread(target=one, args=(i,)) for i in range(int(n))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    counts = {}
    for o, _ in results:
        counts[o] = counts.get(o, 0) + 1
    ok = sorted(d for o, d in results if o == "ok")
    summary = " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    if ok:
        summary += f"; echoed after {ok[0]:.1f}-{ok[-1]:.1f} s"
    with open(out, "w") as f:
        f.write(summary + "\n")

def probe(ports_path, live_path):
    # "server port outcome" for each live server: held (the proxy holds the
    # client while the game wakes, or relays it), closed (taken, then closed at
    # once: a refused wake), or the connect's error.
    live = {l.split()[0] for l in open(live_path) if l.strip()}
    for sid, tcp, _ in read_ports(ports_path):
        if sid not in live:
            continue
        try:
            s = socket.create_connection(("127.0.0.1", tcp), timeout=5)
        except OSError as e:
            print(sid, tcp, "connect-" + type(e).__name__)
            continue
        s.settimeout(0.5)
        try:
            outcome = "closed" if s.recv(1) == b"" else "held"
        except socket.timeout:
            outcome = "held"
        except OSError as e:
            outcome = "closed-" + type(e).__name__
        s.close()
        print(sid, tcp, outcome)

if __name__ == "__main__":
    mode = sys.argv[1]
    {"run": run, "hold": hold, "probe": probe}[mode](*sys.argv[2:])
PY

# ---- background loops; each ends when $STOP exists.
# The lifecycle pass, as the gsp user like its unit; its clock moves
# TICK_STEP ahead of the last pass's each time, so the soak spans hours of
# billing and idle sleeps. (Reconcile judges timeouts by the real clock.)
echo 0 >"$S/offset"
lifecycle_pass() {  # one pass; "ms rc now" in ticks.log
  local offset now rc
  offset=$(( $(cat "$S/offset") + TICK_STEP ))
  echo "$offset" >"$S/offset"
  now=$(( $(date +%s) + offset ))
  setpriv --reuid="$GSP_WEB_USER" --regid="$GSP_WEB_USER" --clear-groups -- \
    "$GSP_SBIN/gsp-lifecycle" --config="$STATE/gsp.ini" tick --now="$now" >>"$S/lifecycle.out" 2>&1
  rc=$?
  echo "$(now_ms) $rc $now" >>"$S/ticks.log"
  return $rc
}
tick_loop() {
  while [ ! -e "$STOP" ]; do
    lifecycle_pass
    for _ in $(seq 1 "$TICK_SECONDS"); do [ -e "$STOP" ] && return; sleep 1; done
  done
}
# RSS of each daemon every 5 s (enough samples for the short form too): gsp-web, gsp-agent, the nginx workers (summed), mysqld.
rss_of() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' '; }
rss_loop() {
  while [ ! -e "$STOP" ]; do
    local t pid kb
    t=$(date +%s)
    for name in gsp-web gsp-agent; do
      pid=$(cat "$STATE/$name.pid" 2>/dev/null); kb=$(rss_of "$pid")
      [ -n "$kb" ] && echo "$t $name $pid $kb" >>"$RSSLOG"
    done
    pid=$(cat "$STATE/db/run/mysqld.pid" 2>/dev/null); kb=$(rss_of "$pid")
    [ -n "$kb" ] && echo "$t mysqld $pid $kb" >>"$RSSLOG"
    pid=$(cat "$STATE/nginx/nginx.pid" 2>/dev/null)
    kb=$(ps -o rss= --ppid "$pid" 2>/dev/null | awk '{s += $1} END {print s + 0}')
    [ -n "$pid" ] && [ "$kb" != 0 ] && echo "$t nginx-workers $pid $kb" >>"$RSSLOG"
    for _ in $(seq 1 5); do [ -e "$STOP" ] && return; sleep 1; done
  done
}
owner_of() { awk -v s="$1" '$1 == s {print $2}' "$S/servers"; }
random_live_server() { awk '{print $1}' "$S/servers" | grep -vxFf "$S/deleted" | shuf -n 1; }
# The pages a signed-in owner keeps open: dashboard, its states, billing, a server's status and page.
page_loop() {
  while [ ! -e "$STOP" ]; do
    local u sid jar
    u=$((RANDOM % USERS + 1)); jar=$S/users/$u.jar
    sid=$(awk -v u="$u" '$2 == u {print $1}' "$S/servers" | grep -vxFf "$S/deleted" | shuf -n 1)
    web "$jar" GET /dashboard >/dev/null
    web "$jar" GET /dashboard/states >/dev/null
    [ -n "$sid" ] && web "$jar" GET "/servers/$sid/status" >/dev/null
    [ $((RANDOM % 4)) = 0 ] && web "$jar" GET /billing >/dev/null
    [ -n "$sid" ] && [ $((RANDOM % 6)) = 0 ] && web "$jar" GET "/servers/$sid" >/dev/null
    sleep 0.$((RANDOM % 5))
  done
}
# Owners' acts: a backup every ~15 s, now and then a "put to sleep", and the
# DELETES deletions spread over the run.
act_loop() {
  local next_delete=$((DURATION / (DELETES + 1))) deleted=0 t
  while [ ! -e "$STOP" ]; do
    local sid u out
    t=$(( $(date +%s) - LOAD_T0 ))
    sid=$(random_live_server); u=$(owner_of "$sid")
    if [ -n "$sid" ]; then
      if [ $((RANDOM % 3)) = 0 ]; then
        out=$(web "$S/users/$u.jar" POST "/servers/$sid/hibernate" --data-urlencode "csrf_token=$(cat "$S/users/$u.csrf")")
        echo "$(date +%s) hibernate $sid $out" >>"$S/acts.log"
      else
        out=$(web "$S/users/$u.jar" POST "/servers/$sid/backups" --data-urlencode "csrf_token=$(cat "$S/users/$u.csrf")")
        echo "$(date +%s) backup $sid $out" >>"$S/acts.log"
      fi
    fi
    if [ "$deleted" -lt "$DELETES" ] && [ "$t" -ge "$next_delete" ]; then
      sid=$(random_live_server); u=$(owner_of "$sid")
      name=$(awk -v s="$sid" '$1 == s {print $3}' "$S/servers")
      out=$(web "$S/users/$u.jar" POST "/servers/$sid/delete" --data-urlencode "csrf_token=$(cat "$S/users/$u.csrf")" \
        --data-urlencode "confirm_name=$name")
      echo "$(date +%s) delete $sid $out" >>"$S/acts.log"
      # Answered with the dashboard: deleting. Otherwise busy (a job on it): the next round tries again.
      if [[ "$out" == "303 "*"/dashboard" ]]; then
        echo "$sid" >>"$S/deleted"
        deleted=$((deleted + 1))
        next_delete=$(( (deleted + 1) * DURATION / (DELETES + 1) ))
      fi
    fi
    for _ in $(seq 1 15); do [ -e "$STOP" ] && return; sleep 1; done
  done
}

# ---- faults: each runs in the foreground of the main loop and logs its window
# from the moment it starts until the platform answers again.
healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/healthz")" = 200 ]; }
wait_until() {  # wait_until SECONDS COMMAND...: 0 when COMMAND succeeded in time
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do [ $SECONDS -ge $deadline ] && return 1; sleep 0.2; done
}
log_fault() {  # log_fault NAME START_MS OK DETAIL
  local end; end=$(now_ms)
  echo "$1 $2 $end $([ "$3" = 0 ] && echo ok || echo FAILED) ${4:-}" >>"$FAULTS"
  say "fault $1: $([ "$3" = 0 ] && echo "recovered" || echo "NOT RECOVERED") after $(( (end - $2) / 1000 )).$(( (end - $2) % 1000 / 100 )) s ${4:-}"
}
docker_up() { curl -sf --unix-socket /var/run/docker.sock http://localhost/_ping 2>/dev/null | grep -q OK; }
proxies_running() {  # every live server's proxy container runs
  local want running
  want=$(SQL -e "SELECT COUNT(*) FROM servers WHERE deleted_at IS NULL AND proxy_container_id IS NOT NULL")
  running=$(docker ps -q --filter "label=gsp.installation=$GSP_OBJECT_PREFIX" --filter label=gsp.role=proxy | wc -l)
  [ "$running" -ge "$want" ]
}
fault_restart_db() {
  local t; t=$(now_ms); say "fault: restarting MariaDB"
  # Down a few seconds, as a real restart (a bigger buffer pool, crash recovery) would be.
  ( stop_mariadb "$STATE"; sleep "${SOAK_DB_DOWN_SECONDS:-5}"; start_mariadb "$STATE" ) >>"$S/fault.out" 2>&1 &&
    wait_until 60 healthy
  log_fault restart-db "$t" $?
}
fault_restart_docker() {
  local t; t=$(now_ms); say "fault: restarting the Docker engine"
  # By its pid (or its unit), then start_dockerd as the tests do: its containers
  # stop with it, the proxies come back by their restart policy.
  (
    if systemctl is-active --quiet docker 2>/dev/null; then
      systemctl restart docker
    else
      pid=$(cat /var/run/docker.pid 2>/dev/null)
      [ -n "$pid" ] && kill -TERM "$pid"
      for _ in $(seq 1 300); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    start_dockerd "$STATE"
  ) >>"$S/fault.out" 2>&1 && wait_until 120 proxies_running
  log_fault restart-docker "$t" $?
}
fault_kill_agent() {
  local t; t=$(now_ms); say "fault: SIGKILL gsp-agent"
  kill -9 "$(cat "$STATE/gsp-agent.pid")"
  sleep 1
  rm -f "$STATE/agent/agent.sock"  # so start_agent waits for the new one
  ( start_agent "$STATE" ) >>"$S/fault.out" 2>&1
  log_fault kill-agent "$t" $?
}
fault_kill_web() {
  local t; t=$(now_ms); say "fault: SIGKILL gsp-web"
  kill -9 "$(cat "$STATE/gsp-web.pid")"
  sleep 1
  rm -f "$STATE/web/gsp-web.sock"
  ( start_web "$STATE" ) >>"$S/fault.out" 2>&1 && wait_until 30 healthy
  log_fault kill-web "$t" $?
}
fault_kill_proxy() {
  local t sid cid; t=$(now_ms)
  sid=$(random_live_server)
  cid=$(docker ps -q --filter "label=gsp.installation=$GSP_OBJECT_PREFIX" --filter "label=gsp.server_id=$sid" \
    --filter label=gsp.role=proxy)
  say "fault: docker kill the proxy of server $sid"
  [ -n "$cid" ] && docker kill "$cid" >/dev/null 2>&1
  # A pass's reconcile notices the stopped proxy and has the agent start it again.
  proxy_up() { [ "$(docker inspect -f '{{.State.Running}}' "$cid" 2>/dev/null)" = true ] ||
    [ -n "$(docker ps -q --filter "label=gsp.installation=$GSP_OBJECT_PREFIX" --filter "label=gsp.server_id=$sid" --filter label=gsp.role=proxy)" ]; }
  [ -n "$cid" ] && wait_until $((3 * TICK_SECONDS + 60)) proxy_up
  log_fault kill-proxy "$t" $? "server $sid"
}
fault_hold_queue() {
  # In the background: the held clients may wait out a whole wake.
  local sid port t
  # A sleeping server whose wakes by traffic are not paused (after phantom wakes): one that will wake.
  sid=$(SQL -e "SELECT id FROM servers WHERE state = 'SLEEPING' AND deleted_at IS NULL AND
                (traffic_wakes_paused_until IS NULL OR traffic_wakes_paused_until < UTC_TIMESTAMP(6)) ORDER BY RAND() LIMIT 1")
  [ -n "$sid" ] || sid=$(random_live_server)
  port=$(awk -v s="$sid" '$1 == s {print $2}' "$S/ports")
  say "fault: $HOLD_CLIENTS TCP clients at once on server $sid (port $port, $(SQL -e "SELECT state FROM servers WHERE id = $sid"))"
  t=$(now_ms)
  ( python3 "$S/players.py" hold "$port" "$HOLD_CLIENTS" "$S/hold.out"
    log_fault hold-queue "$t" 0 "server $sid: $(cat "$S/hold.out" 2>/dev/null)" ) &
  HOLD_PID=$!
  BG_PIDS+=("$HOLD_PID")
}
FAULT_LIST=(fault_restart_db fault_kill_agent fault_kill_web fault_kill_proxy fault_restart_docker fault_hold_queue)

# ---- the run
say "load for $MINUTES min: $CLIENTS players, a lifecycle pass every ${TICK_SECONDS}s (+$((TICK_STEP / 60)) min each), ${#FAULT_LIST[@]} faults"
LOAD_T0=$(date +%s)
python3 "$S/players.py" run "$S/ports" "$S/deleted" "$STOP" "$S/players.log" "$CLIENTS" 2>>"$S/players.err" &
BG_PIDS+=($!)
tick_loop & BG_PIDS+=($!)
rss_loop & BG_PIDS+=($!)
page_loop & BG_PIDS+=($!)
page_loop & BG_PIDS+=($!)
act_loop & BG_PIDS+=($!)
HOLD_PID=
nf=${#FAULT_LIST[@]}
for i in $(seq 0 $((nf - 1))); do
  at=$(( LOAD_T0 + (i + 1) * DURATION / (nf + 1) ))
  while [ "$(date +%s)" -lt "$at" ]; do sleep 1; done
  ${FAULT_LIST[$i]}
done
# The load lasts MINUTES (longer when the faults ran over).
end=$(( LOAD_T0 + DURATION ))
while [ "$(date +%s)" -lt "$end" ]; do sleep 1; done
[ -n "$HOLD_PID" ] && wait "$HOLD_PID" 2>/dev/null
LOAD_SECONDS=$(( $(date +%s) - LOAD_T0 ))

say "stopping the load; two more lifecycle passes"
touch "$STOP"
for pid in "${BG_PIDS[@]}"; do
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill "$pid" 2>/dev/null
done
BG_PIDS=()
settled() {
  [ "$(SQL -e "SELECT (SELECT COUNT(*) FROM jobs WHERE state IN ('QUEUED', 'RUNNING')) +
                      (SELECT COUNT(*) FROM servers WHERE state IN ('CREATING', 'STARTING', 'STOPPING', 'DELETING'))")" = 0 ]
}
for pass in 1 2; do
  lifecycle_pass || echo "final pass $pass exited $?"
  wait_until 120 settled
done
wait_until 30 settled

# ---- invariants
PASSED=0
FAILED=0
result() {  # result OK NAME DETAIL
  if [ "$1" = 0 ]; then PASSED=$((PASSED + 1)); echo "PASS  $2${3:+ ($3)}"
  else FAILED=$((FAILED + 1)); echo "FAIL  $2${3:+ ($3)}"; fi
}
echo
echo "==== soak: $CREATED servers ($SERVERS asked for), $USERS users, $CLIENTS players, load $((LOAD_SECONDS / 60)) min $((LOAD_SECONDS % 60)) s"
echo "---- what it did"
awk '{print $2}' "$WEBLOG" | sort | uniq -c | sort -rn | awk '{printf "%s x%s  ", $2, $1} END {print ""}' |
  sed 's/^/web requests by status: /'
echo "web requests: $(wc -l <"$WEBLOG") from the clients, $(wc -l <"$STATE/nginx/access.log" 2>/dev/null || echo 0) in nginx's log ($(grep -c ' gsp-internal$' "$STATE/nginx/access.log" 2>/dev/null) webhooks)"
python3 - "$S/players.log" <<'PY'
import sys, collections
c = collections.Counter()
lat = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, kind, _, outcome, ms = line.split()
    c[(kind, outcome)] += 1
    if outcome == "ok" and not kind.endswith("-stay"):
        lat[kind].append(int(ms))
for kind in ("tcp", "tcp-stay", "udp", "udp-stay"):
    parts = [f"{o}={n}" for (k, o), n in sorted(c.items()) if k == kind]
    l = sorted(lat.get(kind, []))
    extra = f"; echo after median {l[len(l)//2]} ms, max {l[-1]} ms" if l else ""
    print(f"players {kind}: {' '.join(parts) or 'none'}{extra}")
PY
echo "wakes (SLEEPING->STARTING): $(SQL -e "SELECT COUNT(*) FROM server_events WHERE from_state = 'SLEEPING' AND to_state = 'STARTING'"), running: $(SQL -e "SELECT COUNT(*) FROM server_events WHERE to_state = 'RUNNING'"), sleeps (->SLEEPING): $(SQL -e "SELECT COUNT(*) FROM server_events WHERE from_state <> 'CREATING' AND to_state = 'SLEEPING'"), to ERROR: $(SQL -e "SELECT COUNT(*) FROM server_events WHERE to_state = 'ERROR'")"
echo "jobs: $(SQL -e "SELECT CONCAT(kind, ' ', state, ' x', COUNT(*)) FROM jobs GROUP BY kind, state" | paste -sd, | sed 's/,/, /g')"
failed_jobs=$(SQL -e "SELECT CONCAT(kind, ' x', COUNT(*), ': ', LEFT(message, 200)) FROM jobs WHERE state = 'FAILED'
                      GROUP BY kind, LEFT(message, 200) LIMIT 8")
[ -n "$failed_jobs" ] && sed 's/^/failed job: /' <<<"$failed_jobs"
echo "backups: $(SQL -e "SELECT CONCAT(reason, ' ', state, ' x', COUNT(*)) FROM backups GROUP BY reason, state" | paste -sd, | sed 's/,/, /g'); asked: $(grep -c ' backup ' "$S/acts.log" 2>/dev/null), sleeps asked: $(grep -c ' hibernate ' "$S/acts.log" 2>/dev/null)"
echo "deleted: $(wc -l <"$S/deleted") of $DELETES planned; hourly charges: $(SQL -e "SELECT COUNT(*) FROM transactions WHERE type = 'HOURLY_CHARGE'"), lifecycle passes: $(wc -l <"$S/ticks.log") ($(awk '$2 != 0' "$S/ticks.log" | wc -l) failed), simulated clock $(( $(cat "$S/offset") / 60 )) min ahead"
echo "server states now: $(SQL -e "SELECT CONCAT(state, ' x', COUNT(*)) FROM servers GROUP BY state" | paste -sd, | sed 's/,/, /g')"
echo "phantom wakes: $(SQL -e "SELECT COALESCE(SUM(phantom_wakes), 0) FROM servers") in a row now, $(SQL -e "SELECT COUNT(*) FROM servers WHERE traffic_wakes_paused_until > UTC_TIMESTAMP(6)") servers with traffic wakes paused"
echo "orphans the reconcile removed: $(grep -c 'orphan ' "$STATE/gsp-agent.log" 2>/dev/null)"
echo "faults:"
while read -r name start end ok detail; do
  printf '  %-15s at +%4ss, %5.1fs long, %s %s\n' "$name" $(( start / 1000 - LOAD_T0 )) "$(( end - start ))e-3" "$ok" "$detail"
done <"$FAULTS"
echo "---- invariants"

result "$([ "$CREATED" = "$SERVERS" ]; echo $?)" "every server asked for was created" \
  "$CREATED of $SERVERS${CREATE_FAILURES:+; failed: $CREATE_FAILURES}"

bad=$(SQL -e "SELECT u.id, u.credits_cents, COALESCE(SUM(t.amount_cents), 0) AS ledger FROM users u
              LEFT JOIN transactions t ON t.user_id = u.id GROUP BY u.id HAVING u.credits_cents <> ledger")
result "$([ -z "$bad" ]; echo $?)" "every user's balance equals the sum of their ledger rows" \
  "$(SQL -e "SELECT COUNT(*) FROM users") users${bad:+; differ (user balance ledger): $(tr "\n" " " <<<"$bad")}"

bad=$(SQL -e "SELECT server_id, period_start, COUNT(*) FROM transactions WHERE type = 'HOURLY_CHARGE'
              GROUP BY server_id, period_start HAVING COUNT(*) > 1 LIMIT 10")
# Periods that overlap (one starting before the previous hour ended) are shown, not judged:
# the passes' clock runs ahead of the wakes' real one.
overlaps=$(SQL -e "SELECT COUNT(*) FROM transactions a JOIN transactions b ON a.server_id = b.server_id
                   AND a.type = 'HOURLY_CHARGE' AND b.type = 'HOURLY_CHARGE' AND a.id < b.id
                   AND ABS(TIMESTAMPDIFF(SECOND, a.period_start, b.period_start)) < 3600")
result "$([ -z "$bad" ]; echo $?)" "no (server, period) charged twice" \
  "$(SQL -e "SELECT COUNT(*) FROM transactions WHERE type = 'HOURLY_CHARGE'") hourly charges, $overlaps overlapping pairs${bad:+; twice: $(tr "\n" " " <<<"$bad")}"

bad=$(SQL -e "SELECT CONCAT(id, ':', state) FROM servers WHERE state IN ('CREATING', 'STARTING', 'STOPPING', 'DELETING')" | paste -sd' ')
result "$([ -z "$bad" ]; echo $?)" "no server stuck in CREATING/STARTING/STOPPING/DELETING after the final passes" "${bad:-none}"

unfinished=$(SQL -e "SELECT CONCAT('job ', id, ' ', kind, ' ', state, ' server ', server_id) FROM jobs WHERE state IN ('QUEUED', 'RUNNING')
                     UNION ALL SELECT CONCAT('backup ', id, ' ', state, ' server ', server_id) FROM backups WHERE state IN ('QUEUED', 'RUNNING')" | paste -sd, )
result "$([ -z "$unfinished" ]; echo $?)" "no job or backup left QUEUED/RUNNING" "${unfinished:-none}"

# Objects labelled for this installation whose server is unknown or deleted.
SQL -e "SELECT id FROM servers WHERE deleted_at IS NULL AND state <> 'DELETED'" | sort >"$S/live"
{
  docker ps -a --filter "label=gsp.installation=$GSP_OBJECT_PREFIX" --format '{{.Label "gsp.server_id"}} container {{.Names}}'
  docker network ls --filter "label=gsp.installation=$GSP_OBJECT_PREFIX" --format '{{.Label "gsp.server_id"}} network {{.Name}}'
  docker volume ls --filter "label=gsp.installation=$GSP_OBJECT_PREFIX" --format '{{.Label "gsp.server_id"}} volume {{.Name}}'
} >"$S/objects"
bad=$(awk 'NR == FNR {live[$1] = 1; next} !($1 in live) {print $2 " " $3 " (server " $1 ")"}' "$S/live" "$S/objects" | paste -sd, )
result "$([ -z "$bad" ] && [ -s "$S/objects" ]; echo $?)" "no Docker object of a deleted or unknown server" \
  "$(wc -l <"$S/objects") objects for $(wc -l <"$S/live") live servers${bad:+; orphans: $bad}"

# 5xx outside the fault windows (10 s margin): the clients' records and nginx's log.
bad=$(python3 - "$FAULTS" "$WEBLOG" "$STATE/nginx/access.log" "$LOAD_T0" <<'PY'
import os, sys
faults, weblog, access, t0 = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
windows = []
for line in open(faults):
    f = line.split()
    windows.append((f[0], int(f[1]) - 10000, int(f[2]) + 10000))
def excused(ms):
    return any(a <= ms <= b for _, a, b in windows)
inside = outside = 0
samples = []
def look(ms, code, what):
    global inside, outside
    if not code.startswith("5"):
        return
    if excused(ms):
        inside += 1
    else:
        outside += 1
        if len(samples) < 8:
            samples.append(f"+{ms // 1000 - t0}s {code} {what}")
for line in open(weblog):
    f = line.split()
    look(int(f[0]), f[1], "client " + " ".join(f[2:4]))
if os.path.exists(access):
    for line in open(access):
        f = line.split()
        if len(f) >= 4:
            look(int(float(f[0]) * 1000), f[1], f[4] + " " + f[2] + " " + f[3] if len(f) > 4 else f[2] + " " + f[3])
print(f"{outside} {inside} {'; '.join(samples)}")
PY
)
outside=${bad%% *}; rest=${bad#* }; inside=${rest%% *}; samples=${rest#* }; [ "$samples" = "$rest" ] && samples=
result "$([ "$outside" = 0 ]; echo $?)" "no 5xx from the web tier outside the fault windows (+-10 s)" \
  "$outside outside, $inside inside the windows${samples:+: $samples}"

# RSS flat after warm-up: per daemon, the samples of its last process after the
# run's first minute and its own first minute; the last third's max against the first third's.
rss=$(python3 - "$RSSLOG" "$LOAD_T0" "$RSS_FACTOR" <<'PY'
import sys, collections
path, t0, factor = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
samples = collections.defaultdict(list)
for line in open(path):
    t, name, pid, kb = line.split()
    samples[name].append((int(t), pid, int(kb)))
bad, lines = [], []
for name in ("gsp-web", "gsp-agent", "nginx-workers", "mysqld"):
    s = samples.get(name, [])
    if not s:
        bad.append(name); lines.append(f"{name}: no samples"); continue
    pid = s[-1][1]
    born = min(t for t, p, _ in s if p == pid)
    use = [kb for t, p, kb in s if p == pid and t >= t0 + 60 and t >= born + 60]
    restarted = " (restarted during the run)" if born > s[0][0] else ""
    if len(use) < 3:
        lines.append(f"{name}: {len(use)} samples after warm-up{restarted}, too few to judge; "
                     f"last {s[-1][2] // 1024} MiB")
        continue
    third = max(1, len(use) // 3)
    first, last = max(use[:third]), max(use[-third:])
    ratio = last / first
    ok = ratio <= factor
    if not ok:
        bad.append(name)
    lines.append(f"{name}: first third max {first / 1024:.1f} MiB, last third max {last / 1024:.1f} MiB, "
                 f"x{ratio:.2f} over {len(use)} samples{restarted}{'' if ok else ' TOO MUCH'}")
print(" ".join(bad) or "-")
for l in lines:
    print("    " + l)
PY
)
result "$([ "$(head -1 <<<"$rss")" = - ]; echo $?)" "each daemon's RSS flat after warm-up (last third max <= ${RSS_FACTOR}x first third max)"
tail -n +2 <<<"$rss"

bad=$(grep -v ' ok' "$FAULTS" | awk '{print $1}' | paste -sd' ')
result "$([ -z "$bad" ] && [ "$(wc -l <"$FAULTS")" = "$nf" ]; echo $?)" "every fault recovered" \
  "$(wc -l <"$FAULTS") of $nf faults logged${bad:+; not recovered: $bad}"

# Last: a TCP connect to every live server's public port (it wakes a sleeping
# one). The proxy answers when the connect succeeds; one that closes at once
# must have a reason on the server's row (traffic wakes paused after phantom
# wakes, ERROR): shown, not failed.
python3 "$S/players.py" probe "$S/ports" "$S/live" >"$S/probe"
bad=$(awk '$3 ~ /^connect-/ {print $1 ":" $2 " (" $3 ")"}' "$S/probe" | paste -sd' ')
refused=""
for sid in $(awk '$3 ~ /^closed/ {print $1}' "$S/probe"); do
  why=$(SQL -e "SELECT CASE WHEN state = 'ERROR' THEN 'ERROR'
                 WHEN traffic_wakes_paused_until > UTC_TIMESTAMP(6) THEN 'traffic wakes paused'
                 ELSE '' END FROM servers WHERE id = $sid")
  if [ -n "$why" ]; then refused="$refused $sid:$why,"; else bad="$bad $sid (closed at once, no reason on its row)"; fi
done
result "$([ -z "$bad" ] && [ -s "$S/probe" ]; echo $?)" "every live server's proxy answers on its public TCP port" \
  "$(awk '$3 == "held"' "$S/probe" | wc -l) of $(wc -l <"$S/live") held${refused:+; closed at once by design:${refused%,}}${bad:+; failed: $bad}"

echo
echo "logs: $STATE$([ "${SOAK_KEEP:-0}" = 1 ] || echo " (removed; SOAK_KEEP=1 keeps them)")"
echo "took $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
