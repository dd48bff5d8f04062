# Shared shell functions of the run and test commands: install what is
# missing, build, and start/stop the private services (MariaDB, gsp-web,
# nginx) under one state folder. Sourced, never run on its own.

GSP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GSP_BUILD=$GSP_ROOT/build

# Debian packages the platform builds, runs and tests with.
GSP_PACKAGES="build-essential autoconf automake libtool pkg-config autoconf-archive
  libfcgi-dev libctemplate-dev libmysqlcppconn-dev libcurl4-openssl-dev libssl-dev
  libboost-program-options-dev libcppunit-dev nlohmann-json3-dev
  mariadb-server mariadb-client nginx curl ca-certificates systemd iproute2 git
  chromium nodejs npm wrk docker.io busybox-static netcat-openbsd"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
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
  say "building"
  cd "$GSP_ROOT"
  if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
    autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; die "autoreconf failed"; }
  fi
  mkdir -p "$GSP_BUILD"
  cd "$GSP_BUILD"
  if [ ! -f Makefile ] || [ "$GSP_ROOT/configure" -nt Makefile ]; then
    "$GSP_ROOT/configure" --prefix=/usr --sysconfdir=/etc --localstatedir=/var >configure.out 2>&1 ||
      { tail -20 configure.out; die "configure failed (see $GSP_BUILD/config.log)"; }
  fi
  make -j"$(nproc)" >make.out 2>&1 || { grep -E 'error|Error' make.out | head -30; die "build failed (see $GSP_BUILD/make.out)"; }
  make -j"$(nproc)" tests/unit_tests tests/integration_tests >>make.out 2>&1 ||
    { grep -E 'error|Error' make.out | head -30; die "test build failed"; }
  cd "$GSP_ROOT"
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
  mkdir -p "$db/run"
  if [ ! -d "$db/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$db/data" --user=root \
      --auth-root-authentication-method=normal --skip-test-db >"$db/install.log" 2>&1 ||
      { cat "$db/install.log"; die "mariadb-install-db failed"; }
  fi
  setsid mariadbd --no-defaults --datadir="$db/data" --socket="$db/run/mysqld.sock" \
    --pid-file="$db/run/mysqld.pid" --log-error="$db/error.log" --skip-networking --user=root \
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
socket = $state/gsp-web.sock
socket-mode = 0666
threads = 8
templates-dir = $GSP_ROOT/templates
[database]
socket = $state/db/run/mysqld.sock
user = gsp
password-file = $state/db-password
name = gsp
[auth]
mock-login = true
admin-emails = admin@example.com
[servers]
public-host = 127.0.0.1
publish-address = 127.0.0.1
webhook-socket = $state/webhook/webhook.sock
object-prefix = ${GSP_OBJECT_PREFIX:-gsplocal}
port-min = ${GSP_PORT_MIN:-30000}
port-max = ${GSP_PORT_MAX:-30999}
[admin]
sql-dir = $GSP_ROOT/sql
INI
  for line in "$@"; do echo "$line" >>"$state/gsp.ini"; done
}

migrate() {
  "$GSP_BUILD/src/gsp-admin" --config="$1/gsp.ini" migrate
}

start_web() {
  local state=$1
  setsid "$GSP_BUILD/src/gsp-web" --config="$state/gsp.ini" </dev/null >>"$state/gsp-web.log" 2>&1 &
  echo $! >"$state/gsp-web.pid"
  wait_for 20 "gsp-web" test -S "$state/gsp-web.sock"
}

stop_web() {
  local pidfile=$1/gsp-web.pid
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pidfile"
}

# start_nginx STATE PORT [AUTH_RATE]: the rendered production site on 127.0.0.1:PORT.
# The tests sign in many times a second, so they raise the /auth rate limit.
# GSP_STATIC_DIR overrides the static folder (the benchmark adds a file to its own copy).
start_nginx() {
  local state=$1 port=$2 auth_rate=${3:-10}
  mkdir -p "$state/nginx"
  sh "$GSP_ROOT/nginx/render-site.sh" "$GSP_ROOT/nginx/gsp-site.conf.in" listen="127.0.0.1:$port" \
    fcgi_socket="$state/gsp-web.sock" webhook_socket="$state/webhook/webhook.sock" \
    static_dir="${GSP_STATIC_DIR:-$GSP_ROOT/static}" auth_rate="$auth_rate" >"$state/nginx/gsp-site.conf"
  sed "s|@state@|$state/nginx|g" "$GSP_ROOT/nginx/local-nginx.conf.in" >"$state/nginx/nginx.conf"
  # The site includes fastcgi_params relative to nginx's configuration folder, as on Debian.
  cp /etc/nginx/fastcgi_params "$state/nginx/fastcgi_params"
  # The webhook socket gets a folder of its own: that folder is mounted into every proxy.
  mkdir -p "$state/webhook"
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

stop_all() {
  stop_nginx "$1"
  stop_web "$1"
  stop_mariadb "$1"
}
