#!/usr/bin/env bash
# proxy-bench.sh [BUILD_DIR]: benchmark of gsp-proxy (not a test). In one run
# on this machine it measures, for the same upstreams on 127.0.0.1 - direct,
# through gsp-proxy (splice and copy relay), HAProxy (mode tcp) and nginx
# stream - TCP upload throughput with 1 and 8 streams, connections per second
# with a 1-byte echo (one after another, and 16 at once), the 1-byte round trip on an open connection, UDP
# ping-pong, and UDP 100-byte datagrams at 50,000/s and 100,000/s (echoed;
# loss and delivered rate). Then the same UDP rates with iperf3, a standard tool
# whose sender is bursty (our paced sender once hid drops a bursty one shows):
# direct, gsp-proxy (run as an unprivileged user, as in its container, so its
# socket buffers are capped by net.core.rmem_max) and nginx stream. Then
# gsp-proxy's idle RSS with 0 and 1000 idle connections and both image sizes. Each figure is the median of $REPS runs
# (default 5), the targets measured in turns; ratios are to direct and to HAProxy.
# ONLY=iperf3 runs the iperf3 section alone. Needs haproxy and nginx's
# stream module (installed when missing). Everything it starts, it stops.
set -uo pipefail
BUILD=${1:-/tmp/proxybuild}
REPS=${REPS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PROXY=$BUILD/proxy/gsp-proxy
GAME=$BUILD/proxy/gsp-demo-game
[ -x "$PROXY" ] && [ -x "$GAME" ] || { echo "build first: make -C $BUILD proxy/gsp-proxy proxy/gsp-demo-game" >&2; exit 1; }

need=()
command -v haproxy >/dev/null || need+=(haproxy)
command -v iperf3 >/dev/null || need+=(iperf3)
[ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || need+=(libnginx-mod-stream)
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${need[@]}" >/dev/null || { echo "cannot install ${need[*]}" >&2; exit 1; }
fi

W=$(mktemp -d /tmp/gsp-proxy-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [ -f "$W/nginx/nginx.pid" ] && kill -QUIT "$(cat "$W/nginx/nginx.pid")" 2>/dev/null
  sleep 0.3
  rm -rf "$W"
}
trap cleanup EXIT
g++ -O2 -std=c++17 -o "$W/loadgen" "$HERE/loadgen.cc" || exit 1
L=$W/loadgen

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() { "$@" >>"$W/daemons.log" 2>&1 & PIDS+=($!); }
wait_tcp() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }

ECHO=$(port); SINK=$(port)
start "$GAME" --listen-address=127.0.0.1 --tcp-port="$ECHO" --udp-port="$ECHO" --data-dir="$W" --log-level=warn
start "$L" sink "$SINK"
wait_tcp "$ECHO"; wait_tcp "$SINK"

declare -A EP SP PID   # echo port, sink port and main process of each target
EP[direct]=$ECHO; SP[direct]=$SINK
for mode in splice copy; do
  EP[gsp-$mode]=$(port); SP[gsp-$mode]=$(port)
  GSP_PROXY_SECRET=bench-secret-0123456789 start "$PROXY" --port="tcp+udp:${EP[gsp-$mode]}=$ECHO,tcp:${SP[gsp-$mode]}=$SINK" \
    --listen-address=127.0.0.1 --upstream-host=127.0.0.1 --server-id=1 --wake-url=http://127.0.0.1:9/unused \
    --activity-interval=1h --relay=$mode --log-level=error
  PID[gsp-$mode]=${PIDS[-1]}
done
EP[haproxy]=$(port); SP[haproxy]=$(port)
cat >"$W/haproxy.cfg" <<CFG
global
  maxconn 8000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
listen echo
  bind 127.0.0.1:${EP[haproxy]}
  server s1 127.0.0.1:$ECHO
listen sink
  bind 127.0.0.1:${SP[haproxy]}
  server s1 127.0.0.1:$SINK
CFG
start haproxy -f "$W/haproxy.cfg"
PID[haproxy]=${PIDS[-1]}
EP[nginx]=$(port); SP[nginx]=$(port)
IPERF=$(port); IP_GSP=$(port); IP_NGINX=$(port)  # iperf3's server, and gsp-proxy and nginx in front of it
mkdir -p "$W/nginx"
cat >"$W/nginx/nginx.conf" <<CFG
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes auto;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log warn;
events { worker_connections 8000; }
stream {
  server { listen 127.0.0.1:${EP[nginx]}; proxy_pass 127.0.0.1:$ECHO; }
  server { listen 127.0.0.1:${EP[nginx]} udp; proxy_pass 127.0.0.1:$ECHO; proxy_timeout 30s; }
  server { listen 127.0.0.1:${SP[nginx]}; proxy_pass 127.0.0.1:$SINK; }
  server { listen 127.0.0.1:$IP_NGINX; proxy_pass 127.0.0.1:$IPERF; }
  server { listen 127.0.0.1:$IP_NGINX udp; proxy_pass 127.0.0.1:$IPERF; proxy_timeout 30s; }
}
CFG
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -e "$W/nginx/error.log" || exit 1
PID[nginx]=$(cat "$W/nginx/nginx.pid")
for t in gsp-splice gsp-copy haproxy nginx; do wait_tcp "${EP[$t]}"; wait_tcp "${SP[$t]}"; done

TARGETS=(direct gsp-splice gsp-copy haproxy nginx)
declare -A R   # R[metric,target] = median
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else print v[int((NR+1)/2)]}'; }
# measure METRIC KEY COMMAND... : runs COMMAND (with {E}/{S} = echo/sink port)
# REPS times per target, the targets taking turns so that a burst of other load
# on the machine hits them all alike; keeps each target's median.
measure() {
  local metric=$1 key=$2; shift 2
  declare -A vals=()
  for _ in $(seq "$REPS"); do
    for t in "${TARGETS[@]}"; do
      [ "$metric" != "${metric#udp}" ] && [ "$t" = haproxy ] && continue  # HAProxy has no UDP
      local cmd=("${@//\{E\}/${EP[$t]}}"); cmd=("${cmd[@]//\{S\}/${SP[$t]}}")
      vals[$t]+="$("$L" "${cmd[@]}" 2>/dev/null | sed -n "s/^$key=//p") "
    done
  done
  for t in "${TARGETS[@]}"; do
    if [ -z "${vals[$t]:-}" ]; then R[$metric,$t]=n/a; continue; fi
    R[$metric,$t]=$(printf '%s\n' ${vals[$t]} | median)
  done
}

load=$(cut -d' ' -f1 /proc/loadavg)
echo "gsp-proxy benchmark: $(nproc) cores, load average $load, $REPS runs per figure (median)"
awk -v l="$load" 'BEGIN { exit !(l > 0.5) }' && echo "WARNING: the machine is busy (load $load); figures will be noisy"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0==0 || b+0==0 || a=="n/a" || b=="n/a") print "-"; else printf "%.2fx", a/b }'; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="n/a" || b=="n/a") print "-"; else printf "%+.1f", a-b }'; }
delta2() { awk -v a="$1" -v b="$2" 'BEGIN { if (a=="n/a" || b=="n/a") print "-"; else printf "%+.2f", a-b }'; }
if [ "${ONLY:-}" != iperf3 ]; then  # ONLY=iperf3: just the iperf3 section below
# Warm-up: caches, TCP state, nginx/haproxy workers.
for t in "${TARGETS[@]}"; do "$L" cps "${EP[$t]}" 0.3 8 >/dev/null; "$L" tput "${SP[$t]}" 1 0.3 >/dev/null; done

measure tcp1_mbps mbps tput {S} 1 2
measure tcp8_mbps mbps tput {S} 8 2
# Connections per second, two ways. One after another (cps_1byte): what the
# issue's reference figures describe ("HAProxy 0.37x direct, about +140 us per
# connection"), each connection's cost is its latency through the proxy. With
# 16 at once (cps16_1byte): all five processes saturate the two cores, and the
# figure is the whole machine's CPU per connection, most of it in the kernel's
# TCP work that every proxy pays alike.
measure cps_1byte cps cps {E} 2 1
measure cps16_1byte cps cps {E} 2 16
# The proxy's own CPU time (user + system, all its processes) per 1000 of
# those connections, 16 at once: what each proxy costs, without the load
# generator's and the echo server's share that every column carries.
cpu_ticks() {  # TARGET -> clock ticks used so far by its process and children
  local pids=${PID[$1]} p t=0
  [ "$1" = nginx ] && pids="$pids $(pgrep -P "${PID[$1]}" | tr '\n' ' ')"
  for p in $pids; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo $t
}
HZ=$(getconf CLK_TCK)
declare -A cpu_vals=()
for _ in $(seq "$REPS"); do
  for t in gsp-splice gsp-copy haproxy nginx; do
    before=$(cpu_ticks "$t")
    n=$("$L" cps "${EP[$t]}" 2 16 2>/dev/null | sed -n 's/^cps=//p')
    after=$(cpu_ticks "$t")
    cpu_vals[$t]+="$(awk -v d=$((after - before)) -v n="${n:-0}" -v hz="$HZ" \
      'BEGIN { if (n > 0) printf "%.1f", d * 1000 / hz / (n * 2) * 1000 }') "
  done
done
R[cpu_ms_per_1k,direct]=n/a
for t in gsp-splice gsp-copy haproxy nginx; do R[cpu_ms_per_1k,$t]=$(printf '%s\n' ${cpu_vals[$t]} | median); done
measure rtt_us p50_us rtt {E} 5000
measure udp_rtt_us p50_us udprtt {E} 5000
measure udp50k_loss_pct loss_pct udprate {E} 50000 2 100
measure udp100k_per_s received_per_s udprate {E} 100000 2 100

printf '\n%-18s %10s %10s %10s %10s %10s   %-12s %-12s %-12s\n' metric direct gsp-splice gsp-copy haproxy nginx \
  "gsp/direct" "gsp/haproxy" "gsp/nginx"
for m in tcp1_mbps tcp8_mbps cps_1byte cps16_1byte cpu_ms_per_1k rtt_us udp_rtt_us udp50k_loss_pct udp100k_per_s; do
  d=${R[$m,direct]} g=${R[$m,gsp-splice]} c=${R[$m,gsp-copy]} h=${R[$m,haproxy]} n=${R[$m,nginx]}
  case $m in
    cpu_ms_per_1k) a=- b=$(ratio "$h" "$g") x=$(ratio "$n" "$g") ;;  # how many times less CPU
    rtt_us|udp_rtt_us) a=$(delta "$g" "$d")us b=$(delta "$g" "$h") x=$(delta "$g" "$n") ;;  # added latency
    udp50k_loss_pct) a=$(delta "$g" "$d")pt b=- x=$(delta "$g" "$n")pt ;;
    *) a=$(ratio "$g" "$d") b=$(ratio "$g" "$h") x=$(ratio "$g" "$n") ;;
  esac
  printf '%-18s %10s %10s %10s %10s %10s   %-12s %-12s %-12s\n' "$m" "$d" "$g" "$c" "$h" "$n" "$a" "$b" "$x"
done
echo "cpu_ms_per_1k: the proxy's CPU ms per 1000 connections (16 at once); its ratios are HAProxy's and nginx's CPU over gsp's"
per_conn() { awk -v a="$1" -v d="$2" 'BEGIN { if (a+0==0 || d+0==0) print "-"; else printf "%+.0f", 1e6/a - 1e6/d }'; }
printf 'added per connection (one after another): gsp-splice %s us, haproxy %s us, nginx %s us over direct\n' \
  "$(per_conn "${R[cps_1byte,gsp-splice]}" "${R[cps_1byte,direct]}")" \
  "$(per_conn "${R[cps_1byte,haproxy]}" "${R[cps_1byte,direct]}")" \
  "$(per_conn "${R[cps_1byte,nginx]}" "${R[cps_1byte,direct]}")"
for m in rtt_us udp_rtt_us; do
  printf 'added %-12s gsp-splice %s us, haproxy %s us, nginx %s us over direct\n' "${m%_us}:" \
    "$(delta "${R[$m,gsp-splice]}" "${R[$m,direct]}")" "$(delta "${R[$m,haproxy]}" "${R[$m,direct]}")" \
    "$(delta "${R[$m,nginx]}" "${R[$m,direct]}")"
done

fi
# UDP through iperf3 (bursty sender): 100-byte datagrams at 50,000/s and
# 100,000/s, each target $REPS times in turns; delivered datagrams per second,
# loss, and the host's UDP RcvbufErrors during the run (where drops happen).
start iperf3 -s -p "$IPERF"
GSP_PROXY_SECRET=bench-secret-0123456789 start setpriv --reuid=65534 --regid=65534 --clear-groups "$PROXY" \
  --port="tcp+udp:$IP_GSP=$IPERF" --listen-address=127.0.0.1 --upstream-host=127.0.0.1 --server-id=1 \
  --wake-url=http://127.0.0.1:9/unused --activity-interval=1h --log-level=error
wait_tcp "$IPERF"; wait_tcp "$IP_GSP"; wait_tcp "$IP_NGINX"
rcvbuf_errors() { awk '/^Udp:/ { if (++n == 2) print $6 }' /proc/net/snmp; }
declare -A IPT=([direct]=$IPERF [gsp-proxy]=$IP_GSP [nginx]=$IP_NGINX)
declare -A IV=()
for rate in 50000 100000; do
  for _ in $(seq "$REPS"); do
    for t in direct gsp-proxy nginx; do
      e0=$(rcvbuf_errors)
      iperf3 -c 127.0.0.1 -p "${IPT[$t]}" -u -l 100 -b $((rate * 800)) -t 5 -J >"$W/iperf.json" 2>/dev/null
      e1=$(rcvbuf_errors)
      read -r got lost < <(python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))["end"]["sum"]
print("%.0f %.2f" % ((s["packets"] - s["lost_packets"]) / s["seconds"], s["lost_percent"]))' "$W/iperf.json" 2>/dev/null || echo "nan nan")
      IV[$rate,got,$t]+="$got "; IV[$rate,lost,$t]+="$lost "; IV[$rate,rcvbuf,$t]+="$((e1 - e0)) "
    done
  done
done
echo
echo "iperf3 -u -l 100 (bursty sender), medians of $REPS; net.core.rmem_max=$(cat /proc/sys/net/core/rmem_max):"
printf '%-26s %10s %10s %10s   %-12s %-12s\n' metric direct gsp-proxy nginx gsp/direct gsp/nginx
for rate in 50000 100000; do
  for what in got lost rcvbuf; do
    d=$(printf '%s\n' ${IV[$rate,$what,direct]} | median) g=$(printf '%s\n' ${IV[$rate,$what,gsp-proxy]} | median)
    n=$(printf '%s\n' ${IV[$rate,$what,nginx]} | median)
    case $what in
      got) name="iperf3 ${rate}/s delivered/s" a=$(ratio "$g" "$d") x=$(ratio "$g" "$n") ;;
      lost) name="iperf3 ${rate}/s loss %" a=$(delta2 "$g" "$d")pt x=$(delta2 "$g" "$n")pt ;;
      rcvbuf) name="iperf3 ${rate}/s RcvbufErrors" a=- x=- ;;
    esac
    printf '%-26s %10s %10s %10s   %-12s %-12s\n' "$name" "$d" "$g" "$n" "$a" "$x"
  done
done
echo "RcvbufErrors: datagrams the kernel dropped for a full socket buffer anywhere on the host during a run (here: the receiving game's socket, when it is starved of CPU)"

# Memory: a fresh gsp-proxy, idle, then holding 1000 idle relayed connections.
MP=$(port)
GSP_PROXY_SECRET=bench-secret-0123456789 "$PROXY" --port="tcp:$MP=$ECHO" --listen-address=127.0.0.1 \
  --upstream-host=127.0.0.1 --server-id=1 --wake-url=http://127.0.0.1:9/unused --activity-interval=1h \
  --log-level=error >>"$W/daemons.log" 2>&1 &
MPID=$!; PIDS+=($MPID)
wait_tcp "$MP"; sleep 0.5
rss() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
rss0=$(rss $MPID)
exec 7> >("$L" idle "$MP" 1000 >"$W/idle.out" 2>&1)
for _ in $(seq 100); do grep -q open= "$W/idle.out" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
rss1000=$(rss $MPID)
exec 7>&-
echo
echo "gsp-proxy idle RSS: $rss0 MiB with 0 connections, $rss1000 MiB with 1000 idle connections ($(grep -c . "$W/idle.out" >/dev/null && cat "$W/idle.out" | tr '\n' ' '))"
if docker version >/dev/null 2>&1; then
  for i in gsp-proxy:0.1.0 gsp-demo-game:0.1.0; do
    s=$(docker image inspect -f '{{.Size}}' "$i" 2>/dev/null) && echo "image $i: $(awk -v s="$s" 'BEGIN{printf "%.1f", s/1048576}') MiB" ||
      echo "image $i: not built (make images)"
  done
else
  echo "images: no Docker engine reachable"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
