#!/bin/sh
# Refreshes the seed corpora of the Docker client's fuzz targets
# (tests/fuzz/corpus/engine_json, tests/fuzz/corpus/log_stream) with a real
# engine's answers: runs two short-lived containers and a volume from the test
# image (tests/docker/build_test_image.sh), saves the raw bodies, removes what
# it made. Lists are filtered to those so seeds stay under the 2048-byte
# max_len of scripts/test.sh; inspect_*_read.json keep only the fields
# parseContainerInfo reads. Pull progress cannot be captured offline (no
# registry): pull_progress*.jsonl are written by hand after the API spec.
# Usage: capture.sh [IMAGE]   (default gsp-test-busybox:latest)
set -eu
IMAGE=${1:-gsp-test-busybox:latest}
here=$(cd "$(dirname "$0")" && pwd)
logs="$here/../log_stream"
api() { curl -sS --unix-socket /var/run/docker.sock -G "http://localhost/v1.41$@"; }
mine='{"name":["fuzzcap"]}'

trap 'docker rm -f fuzzcap fuzzcap-exit >/dev/null 2>&1; docker volume rm fuzzcap-vol >/dev/null 2>&1;
      docker rmi fuzzcap-import:1 >/dev/null 2>&1; true' EXIT
docker volume create --label gsp.fuzz=1 fuzzcap-vol >/dev/null
docker run -d --name fuzzcap --label gsp.fuzz=1 -p 127.0.0.1::25565/tcp -p 127.0.0.1::25565/udp \
  --memory 64m --memory-swap 64m --pids-limit 64 --cap-drop ALL --cap-add NET_BIND_SERVICE \
  --security-opt no-new-privileges --ulimit nofile=1024:2048 --read-only -v fuzzcap-vol:/data:ro \
  --health-cmd true --health-interval 1s "$IMAGE" sh -c \
  'echo started; echo "warn: on stderr" >&2; printf "no newline"; sleep 1; echo; i=0;
   while [ $i -lt 3 ]; do echo "tick $i"; echo "err $i" >&2; i=$((i+1)); done; sleep 30' >/dev/null
docker run -d --name fuzzcap-exit --label gsp.fuzz=1 "$IMAGE" sh -c 'echo bye; exit 3' >/dev/null
sleep 3

api /containers/json --data-urlencode all=1 --data-urlencode 'filters={"name":["fuzzcap-exit"]}' \
  >"$here/container_list_exited.json"
api /containers/json --data-urlencode 'filters={"name":["fuzzcap"],"status":["running"]}' \
  >"$here/container_list_running.json"
api /containers/fuzzcap/json >"$here/inspect_running.json"
api /containers/fuzzcap-exit/json >"$here/inspect_exited.json"
for f in inspect_running inspect_exited; do
  jq -c '{Id, Name, Image, RestartCount, Config: {Image: .Config.Image, Labels: .Config.Labels},
          State, NetworkSettings: {Ports: .NetworkSettings.Ports, Networks: (.NetworkSettings.Networks | map_values({}))},
          HostConfig: (.HostConfig | {Memory, MemorySwap, NanoCpus, PidsLimit, ReadonlyRootfs, CapDrop,
                                      CapAdd, SecurityOpt, Ulimits}),
          Mounts: [.Mounts[] | {Destination, RW}]}' "$here/$f.json" >"$here/${f}_read.json"
done
api /containers/fuzzcap/stats --data-urlencode stream=false >"$here/stats_running.json"
api /containers/fuzzcap-exit/stats --data-urlencode stream=false >"$here/stats_exited.json"
api /containers/nope/json >"$here/error_not_found.json"
curl -sS --unix-socket /var/run/docker.sock -X POST -H 'Content-Type: application/json' -d '{"Image":"'"$IMAGE"'"}' \
  "http://localhost/v1.41/containers/create?name=fuzzcap" >"$here/error_conflict.json"
api /containers/json --data-urlencode 'filters={"nope":["x"]}' >"$here/error_bad_filter.json"
api /version >"$here/version.json"
api /networks --data-urlencode 'filters={"name":["bridge"]}' >"$here/network_list.json"
api /networks/bridge >"$here/network_bridge.json"
api /volumes --data-urlencode "filters=$mine" >"$here/volume_list.json"
api /volumes/fuzzcap-vol >"$here/volume.json"
api "/images/$IMAGE/json" >"$here/image.json"
# An import answers with the same progress stream as a pull.
empty=$(mktemp -d)
tar -C "$empty" -c . | curl -sS --unix-socket /var/run/docker.sock -X POST \
  -H 'Content-Type: application/x-tar' --data-binary @- \
  "http://localhost/v1.41/images/create?fromSrc=-&repo=fuzzcap-import&tag=1" >"$here/import_progress.jsonl"
rmdir "$empty"

# Log streams, each preceded by the fuzz target's 2-byte-plus header (see
# log_stream_fuzzer.cc): flags (1: timestamps), then chunk sizes to replay.
{ printf '\001\003\001\007\100'; api /containers/fuzzcap/logs --data-urlencode stdout=1 \
    --data-urlencode stderr=1 --data-urlencode timestamps=1; } >"$logs/running_timestamps.bin"
{ printf '\000\002\003\011'; api /containers/fuzzcap/logs --data-urlencode stdout=1 \
    --data-urlencode stderr=1; } >"$logs/running_plain.bin"
{ printf '\001\000'; api /containers/fuzzcap-exit/logs --data-urlencode stdout=1 \
    --data-urlencode stderr=1 --data-urlencode timestamps=1; } >"$logs/exited_timestamps.bin"
