# Shared shell functions of the run and test commands: install what is
# missing, build, `make install` into a local prefix, and start/stop the
# private services (MariaDB, gsp-web, nginx) under one state folder. Sourced,
# never run on its own.
#
# Nothing the services read at run time stays in the checkout: it may live in a
# folder closed to them (/root is mode 0700 on Debian). They run from what
# `make install` ships, as the users production runs them as.

GSP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# GSP_REUSE_BUILD=DIR: use that build folder as it is (no configure, no make);
# the test command's run from a private checkout reuses the suite's build.
GSP_BUILD=${GSP_REUSE_BUILD:-$GSP_ROOT/build}
# Where `make install` puts the programs, templates, static files and SQL.
GSP_PREFIX=/opt/gsp-local
# Where the services are started from: the test command points it at the
# sanitized build's programs for part of its suite.
GSP_SBIN=${GSP_SBIN:-$GSP_PREFIX/sbin}
# State of the run command (local/), the test command (test-PID/) and the
# benchmarks (bench*/): databases, config, sockets, logs.
GSP_VAR=${GSP_VAR:-/var/lib/gsp-local}
# The users of the units (systemd/*.service) and of Debian's nginx workers.
# gsp-agent runs as its own user in the gsp group (which may ask it) and the
# docker group; gsp-web is in neither the docker group nor any other.
GSP_WEB_USER=gsp
GSP_AGENT_USER=gsp-agent
GSP_NGINX_USER=www-data
# Installed files and state folders must be readable by those users, whatever
# umask the caller's shell has.
umask 022

# Debian packages the platform builds, runs and tests with.
GSP_PACKAGES="build-essential autoconf automake libtool pkg-config autoconf-archive
  libfcgi-dev libctemplate-dev libmysqlcppconn-dev libcurl4-openssl-dev libssl-dev
  libboost-program-options-dev libcppunit-dev nlohmann-json3-dev zlib1g-dev
  mariadb-server mariadb-client nginx curl ca-certificates systemd iproute2 git
  chromium nodejs npm wrk docker.io docker-registry busybox-static netcat-openbsd
  clang libclang-rt-14-dev"

say() { printf '\033[1m==> [%4ds] %s\033[0m\n' "$SECONDS" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

install_packages() {
  local missing=()
  for pkg in $GSP_PACKAGES; do
    # nodejs/npm: any working node >= 18 on the PATH will do.
    if [ "$pkg" = nodejs ] || [ "$pkg" = npm ]; then
      command -v "${pkg/nodejs/node}" >/dev/null 2>&1 && continue
    fi
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root to install them"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # policy-rc.d keeps Debian from starting the services it installs: we run our own.
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build_platform() {
  [ -n "${GSP_REUSE_BUILD:-}" ] && return 0
  say "building"
  cd "$GSP_ROOT"
  if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
    autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; die "autoreconf failed"; }
  fi
  mkdir -p "$GSP_BUILD"
  cd "$GSP_BUILD"
  local args="--prefix=$GSP_PREFIX"
  if [ ! -f Makefile ] || [ "$GSP_ROOT/configure" -nt Makefile ] || [ "$(cat configure.args 2>/dev/null)" != "$args" ]; then
    # shellcheck disable=SC2086
    "$GSP_ROOT/configure" $args >configure.out 2>&1 ||
      { tail -20 configure.out; die "configure failed (see $GSP_BUILD/config.log)"; }
    echo "$args" >configure.args
  fi
  make -j"$(nproc)" >make.out 2>&1 || { grep -E 'error|Error' make.out | head -30; die "build failed (see $GSP_BUILD/make.out)"; }
  make -j"$(nproc)" tests/unit_tests tests/integration_tests >>make.out 2>&1 ||
    { grep -E 'error|Error' make.out | head -30; die "test build failed"; }
  cd "$GSP_ROOT"
}

# install_platform: `make install` into $GSP_PREFIX, root-owned and readable
# by all, as a package would install it; what the local run and the tests run.
install_platform() {
  say "installing into $GSP_PREFIX"
  make -C "$GSP_BUILD" install >>"$GSP_BUILD/make.out" 2>&1 ||
    { tail -30 "$GSP_BUILD/make.out"; die "make install failed (see $GSP_BUILD/make.out)"; }
}

# ensure_service_users: the system users gsp-web and gsp-agent run as
# (nginx's www-data and MariaDB's mysql come with their packages).
ensure_service_users() {
  if ! id -u "$GSP_WEB_USER" >/dev/null 2>&1; then
    say "creating the system user $GSP_WEB_USER"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$GSP_WEB_USER" || die "could not create the user $GSP_WEB_USER"
  fi
  if ! id -u "$GSP_AGENT_USER" >/dev/null 2>&1; then
    say "creating the system user $GSP_AGENT_USER"
    useradd --system --gid "$GSP_WEB_USER" --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$GSP_AGENT_USER" || die "could not create the user $GSP_AGENT_USER"
  fi
}

# require_reachable USER WHO PATH...: stops with a message naming the folder
# that keeps USER (the user WHO runs as) from a PATH, instead of a service that
# never comes up. Folders must be enterable, files readable.
require_reachable() {
  local user=$1 who=$2 path; shift 2
  for path in "$@"; do
    local op=-r
    [ -d "$path" ] && op=-x
    runuser -u "$user" -- test "$op" "$path" && continue
    local part="" blocked=$path comp
    local -a comps
    IFS=/ read -ra comps <<<"${path#/}"
    for comp in "${comps[@]}"; do
      part="$part/$comp"
      [ -d "$part" ] || break
      runuser -u "$user" -- test -x "$part" || { blocked=$part; break; }
    done
    [ -e "$blocked" ] || die "$who needs $path, which does not exist"
    die "$who runs as user '$user' and cannot reach $path: $blocked is $(stat -c '%A %U:%G' "$blocked").
  Keep the platform's files outside private folders (the run and test commands use
  $GSP_PREFIX and $GSP_VAR), or let '$user' into $blocked."
  done
}

# prepare_state STATE: the state folder, enterable by the service users.
prepare_state() {
  local state=$1
  mkdir -p "$state"
  chmod 0755 "$state"
  require_reachable "$GSP_WEB_USER" "gsp-web" "$state"
  # gsp-web's FastCGI socket: gsp-web creates it, nginx's group may enter
  # (setgid: the socket takes the folder's group, as gsp-web.socket does).
  install -d -o "$GSP_WEB_USER" -g "$GSP_NGINX_USER" -m 2750 "$state/web"
  # nginx's internal webhook listener; the folder is mounted into every proxy.
  install -d -m 0755 "$state/webhook"
  # gsp-agent's request socket: the agent creates it, the gsp group may enter.
  install -d -o "$GSP_AGENT_USER" -g "$GSP_WEB_USER" -m 0750 "$state/agent"
  # Backups (the local target): the agent writes, nginx's group reads for downloads.
  install -d -o "$GSP_AGENT_USER" -g "$GSP_NGINX_USER" -m 2750 "$state/backups"
}

# A TCP port nothing listens on, from the kernel.
# Below the kernel's ephemeral range (32768+), so no outgoing connection holds
# it, and not used by any socket right now.
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 10000))
    [ -z "$(ss -Htan "sport = :$port")" ] && [ -z "$(ss -Htun "sport = :$port")" ] && { echo "$port"; return; }
  done
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && die "$what did not come up within ${limit}s"
    sleep 0.1
  done
}

# start_mariadb STATE: a private server on a unix socket under STATE/db.
start_mariadb() {
  local db=$1/db
  # Run as mysql, as Debian's service does; gsp-web (another user) connects.
  install -d -o mysql -g mysql -m 0755 "$db" "$db/run"
  if [ ! -d "$db/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$db/data" --user=mysql \
      --auth-root-authentication-method=normal --skip-test-db >"$db/install.log" 2>&1 ||
      { cat "$db/install.log"; die "mariadb-install-db failed"; }
  fi
  setsid mariadbd --no-defaults --datadir="$db/data" --socket="$db/run/mysqld.sock" \
    --pid-file="$db/run/mysqld.pid" --log-error="$db/error.log" --skip-networking --user=mysql \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=128M --max-connections=500 </dev/null >"$db/stdout.log" 2>&1 &
  wait_for 60 "MariaDB" mariadb --no-defaults -S "$db/run/mysqld.sock" -uroot -e 'SELECT 1'
}

stop_mariadb() {
  local pidfile=$1/db/run/mysqld.pid
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# create_database STATE: the gsp database and its user, with a password file.
create_database() {
  local state=$1
  [ -f "$state/db-password" ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$state/db-password"
  chown "root:$GSP_WEB_USER" "$state/db-password"
  chmod 0640 "$state/db-password"
  local pw; pw=$(cat "$state/db-password")
  mariadb --no-defaults -S "$state/db/run/mysqld.sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS gsp CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'gsp'@'localhost' IDENTIFIED BY '$pw';
ALTER USER 'gsp'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON gsp.* TO 'gsp'@'localhost';
SQL
}

# write_config STATE [extra INI lines]: the config used by every program of this run.
write_config() {
  local state=$1; shift
  cat >"$state/gsp.ini" <<INI
# Written by scripts/lib.sh for a local run; see etc/gsp.ini.example.in for every key.
[web]
socket = $state/web/gsp-web.sock
socket-mode = 0660
threads = 8
templates-dir = $GSP_PREFIX/share/gsp/templates
[database]
socket = $state/db/run/mysqld.sock
user = gsp
password-file = $state/db-password
name = gsp
[auth]
mock-login = true
admin-emails = admin@example.com
[billing]
mock-deposits = true
[servers]
public-host = 127.0.0.1
publish-address = 127.0.0.1
webhook-socket = $state/webhook/webhook.sock
object-prefix = ${GSP_OBJECT_PREFIX:-gsplocal}
port-min = ${GSP_PORT_MIN:-30000}
port-max = ${GSP_PORT_MAX:-30999}
orphan-grace-seconds = ${GSP_ORPHAN_GRACE_SECONDS:-600}
[backup]
local-dir = $state/backups
[agent]
socket = $state/agent/agent.sock
socket-group = $GSP_WEB_USER
allowed-users = $GSP_WEB_USER
[admin]
sql-dir = $GSP_PREFIX/share/gsp/sql
INI
  for line in "$@"; do echo "$line" >>"$state/gsp.ini"; done
  chown "root:$GSP_WEB_USER" "$state/gsp.ini"
  chmod 0640 "$state/gsp.ini"
}

migrate() {
  "$GSP_PREFIX/sbin/gsp-admin" --config="$1/gsp.ini" migrate
}

# web_command STATE: the installed gsp-web as the user of gsp-web.service,
# with no supplementary group: the Docker socket is closed to it.
web_command() {
  local state=$1
  require_reachable "$GSP_WEB_USER" "gsp-web" "$state/gsp.ini" "$state/db-password" \
    "$GSP_PREFIX/share/gsp/templates/layout.tpl" "$state/db/run" "$state/web" "$state/agent"
  echo setpriv --reuid="$GSP_WEB_USER" --regid="$GSP_WEB_USER" --clear-groups -- \
    "$GSP_SBIN/gsp-web" --config="$state/gsp.ini"
}

# agent_command STATE: the installed gsp-agent as the user of gsp-agent.service
# (group gsp, so its socket can be given to gsp-web; supplementary group docker).
agent_command() {
  local state=$1
  require_reachable "$GSP_AGENT_USER" "gsp-agent" "$state/gsp.ini" "$state/db-password" "$state/db/run" "$state/agent"
  echo setpriv --reuid="$GSP_AGENT_USER" --regid="$GSP_WEB_USER" --groups=docker -- \
    "$GSP_SBIN/gsp-agent" --config="$state/gsp.ini"
}

# start_service STATE NAME SOCKET COMMAND...: COMMAND in the background, its
# output in STATE/NAME.log and its pid in STATE/NAME.pid, until SOCKET appears.
start_service() {
  local state=$1 name=$2 socket=$3
  shift 3
  setsid "$@" </dev/null >>"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
  wait_for 20 "$name (see $state/$name.log)" test -S "$socket"
}

start_agent() {
  local cmd
  cmd=$(agent_command "$1") || exit 1
  # shellcheck disable=SC2086
  start_service "$1" gsp-agent "$1/agent/agent.sock" $cmd
}

start_web() {
  local cmd
  cmd=$(web_command "$1") || exit 1
  # shellcheck disable=SC2086
  start_service "$1" gsp-web "$1/web/gsp-web.sock" $cmd
}

# start_lifecycle_loop STATE: what gsp-lifecycle.timer does in production, a
# pass every minute, as the gsp user (like the unit).
start_lifecycle_loop() {
  local state=$1
  require_reachable "$GSP_WEB_USER" "gsp-lifecycle" "$state/gsp.ini" "$state/db/run" "$state/agent"
  setsid bash -c "while true; do setpriv --reuid=$GSP_WEB_USER --regid=$GSP_WEB_USER --clear-groups -- \
    '$GSP_SBIN/gsp-lifecycle' --config='$state/gsp.ini' tick; sleep 60; done" \
    </dev/null >>"$state/gsp-lifecycle.log" 2>&1 &
  echo $! >"$state/gsp-lifecycle.pid"
}

stop_web() { stop_pidfile "$1/gsp-web.pid"; }
stop_agent() { stop_pidfile "$1/gsp-agent.pid"; }

# start_nginx STATE PORT [AUTH_RATE] [SERVERS_RATE]: the rendered production site on
# 127.0.0.1:PORT. The tests sign in many times a second, so they raise the /auth
# rate limit; the web benchmark raises the /servers one.
# GSP_STATIC_DIR overrides the static folder (the benchmark adds a file to its own copy).
start_nginx() {
  local state=$1 port=$2 auth_rate=${3:-10} servers_rate=${4:-10}
  mkdir -p "$state/nginx"
  local static_dir=${GSP_STATIC_DIR:-$GSP_PREFIX/share/gsp/static}
  require_reachable "$GSP_NGINX_USER" "nginx's worker" "$static_dir/style.css" "$state/web" "$state/nginx"
  sh "$GSP_ROOT/nginx/render-site.sh" "$GSP_ROOT/nginx/gsp-site.conf.in" listen="127.0.0.1:$port" \
    fcgi_socket="$state/web/gsp-web.sock" webhook_socket="$state/webhook/webhook.sock" \
    static_dir="$static_dir" backup_dir="$state/backups" auth_rate="$auth_rate" \
    servers_rate="$servers_rate" >"$state/nginx/gsp-site.conf"
  sed -e "s|@state@|$state/nginx|g" -e "s|@user@|$GSP_NGINX_USER|g" \
    "$GSP_ROOT/nginx/local-nginx.conf.in" >"$state/nginx/nginx.conf"
  # The site includes fastcgi_params relative to nginx's configuration folder, as on Debian.
  cp /etc/nginx/fastcgi_params "$state/nginx/fastcgi_params"
  rm -f "$state/webhook/webhook.sock"
  nginx -t -q -p "$state/nginx" -c "$state/nginx/nginx.conf" -e "$state/nginx/error.log" ||
    die "nginx rejected the configuration"
  setsid nginx -p "$state/nginx" -c "$state/nginx/nginx.conf" -e "$state/nginx/error.log" </dev/null \
    >>"$state/nginx/stdout.log" 2>&1 &
  wait_for 20 "nginx" curl -sf -o /dev/null "http://127.0.0.1:$port/static/style.css"
}

stop_nginx() {
  local pidfile=$1/nginx/nginx.pid
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  kill -QUIT "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}

# start_dockerd STATE: a Docker engine on /var/run/docker.sock unless one answers
# already (installs docker.io when missing). Left running: containers need it.
start_dockerd() {
  local state=$1
  docker_ping() { curl -sf --unix-socket /var/run/docker.sock http://localhost/_ping 2>/dev/null | grep -q OK; }
  docker_ping && return 0
  if ! command -v dockerd >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      docker.io >/dev/null || return 1
  fi
  # A killed dockerd leaves its pid file behind; with no dockerd running it is stale.
  pgrep -x dockerd >/dev/null || rm -f /var/run/docker.pid
  setsid /usr/sbin/dockerd >"$state/dockerd.log" 2>&1 </dev/null &
  local deadline=$((SECONDS + 60))
  until docker_ping; do
    [ $SECONDS -ge $deadline ] && { tail -20 "$state/dockerd.log"; return 1; }
    sleep 0.2
  done
}

# restart_dockerd STATE: stops the engine (its containers stop with it, as on a
# host's restart of Docker) and starts it again.
restart_dockerd() {
  local state=$1
  if systemctl is-active --quiet docker 2>/dev/null; then
    systemctl restart docker
  else
    pkill -TERM -x dockerd || true
    for _ in $(seq 1 300); do pgrep -x dockerd >/dev/null || break; sleep 0.1; done
  fi
  start_dockerd "$state"
}

# remove_docker_objects PREFIX: every container, network and volume that an
# installation with this object prefix made (leftovers of a killed run).
remove_docker_objects() {
  local label="gsp.installation=$1"
  docker ps -aq --filter "label=$label" | xargs -r docker rm -f >/dev/null
  docker network ls -q --filter "label=$label" | xargs -r docker network rm >/dev/null
  docker volume ls -q --filter "label=$label" | xargs -r docker volume rm -f >/dev/null
}

# build_images: gsp-proxy and gsp-demo-game from this build (make images).
build_images() {
  make -C "$GSP_BUILD" images >>"$GSP_BUILD/make.out" 2>&1 ||
    { tail -30 "$GSP_BUILD/make.out"; die "building the images failed"; }
}

# stop_pidfile PIDFILE: SIGTERM, then up to 10 s for the process to go.
stop_pidfile() {
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || { rm -f "$1"; return 0; }
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$1"
}

stop_all() {
  stop_pidfile "$1/gsp-lifecycle.pid"
  stop_nginx "$1"
  stop_web "$1"
  stop_agent "$1"
  stop_mariadb "$1"
}
