#!/usr/bin/env bash
# A real image registry for the pull tests: Debian's docker-registry on
# 127.0.0.1 (the engine trusts plain HTTP there), holding two game images built
# here from gsp-demo-game plus a layer of random bytes, so that a pull has
# something to download. The images are removed from the engine again: the
# platform must pull them. Sourced by scripts/test.sh (it uses lib.sh's helpers).
#
# start_test_registry STATE PORT BASE_IMAGE: starts it, pushes (built FROM BASE_IMAGE)
#   127.0.0.1:PORT/gsp-demo-game-pulled:test  (8 MB layer; the integration test)
#   127.0.0.1:PORT/gsp-demo-game-big:test     (40 MB layer; the browser test, through a slow relay)
start_test_registry() {
  local state=$1 port=$2 base=$3 dir=$1/registry
  mkdir -p "$dir/data"
  cat >"$dir/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YML
  setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$state/registry.pid"
  wait_for 20 "the test registry (see $dir/registry.log)" curl -sf "http://127.0.0.1:$port/v2/"
  push_game_image "$dir" "$base" "127.0.0.1:$port/gsp-demo-game-pulled:test" 8 &&
    push_game_image "$dir" "$base" "127.0.0.1:$port/gsp-demo-game-big:test" 40
}

# push_game_image DIR BASE_IMAGE REFERENCE MEGABYTES
push_game_image() {
  local build=$1/build-$4
  mkdir -p "$build"
  head -c "$(($4 << 20))" /dev/urandom >"$build/world.bin"
  printf 'FROM %s\nCOPY world.bin /opt/world.bin\n' "$2" >"$build/Dockerfile"
  docker build -q -t "$3" "$build" >/dev/null && docker push "$3" >/dev/null && docker rmi "$3" >/dev/null ||
    { echo "could not push $3"; return 1; }
  rm -rf "$build"
}

stop_test_registry() { stop_pidfile "$1/registry.pid"; }
