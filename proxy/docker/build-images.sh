#!/bin/sh
# build-images.sh VERSION PROXY_BINARY DEMO_GAME_BINARY
# Builds gsp-proxy:VERSION and gsp-demo-game:VERSION offline, FROM scratch:
# each image holds the stripped binary, its shared-library closure (only glibc
# and the loader: everything else is linked statically), a passwd entry for
# the unprivileged user 65532 it runs as, and nothing else. Both work with a
# read-only root filesystem (the demo game writes only to its /data volume).
# Uses the docker CLI against the local engine (the platform itself talks to
# the Engine API; build scripts may use the CLI).
set -eu

version=$1 proxy_bin=$2 demo_bin=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/gsp-images.XXXXXX)
trap 'rm -rf "$work"' EXIT

# stage_rootfs BINARY NAME DIR: the binary as /usr/bin/NAME plus what it loads.
stage_rootfs() {
  bin=$1 name=$2 root=$3/rootfs
  mkdir -p "$root/usr/bin" "$root/etc" "$root/tmp"
  cp "$bin" "$root/usr/bin/$name"
  strip --strip-unneeded "$root/usr/bin/$name"
  # The closure as ldd reports it, copied at the same paths (symlinks resolved).
  for lib in $(ldd "$bin" | awk '/=>/ { print $3 } /^[[:space:]]*\// { print $1 }' | sort -u); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  cp "$here/passwd" "$root/etc/passwd"
  cp "$here/group" "$root/etc/group"
  cp "$here/nsswitch.conf" "$root/etc/nsswitch.conf"
}

stage_rootfs "$proxy_bin" gsp-proxy "$work/proxy"
cp "$here/Dockerfile.proxy" "$work/proxy/Dockerfile"

stage_rootfs "$demo_bin" gsp-demo-game "$work/demo"
mkdir -p "$work/demo/data"
cp "$here/Dockerfile.demo-game" "$work/demo/Dockerfile"

# The classic builder needs no buildx plugin and works on the 20.10 engine.
export DOCKER_BUILDKIT=0
for pair in "gsp-proxy:proxy" "gsp-demo-game:demo"; do
  image=${pair%%:*} dir=$work/${pair#*:}
  docker build --build-arg VERSION="$version" -t "$image:$version" "$dir" >"$dir/build.log" 2>&1 ||
    { cat "$dir/build.log" >&2; echo "docker build of $image failed" >&2; exit 1; }
done
for image in "gsp-proxy:$version" "gsp-demo-game:$version"; do
  size=$(docker image inspect -f '{{.Size}}' "$image")
  echo "built $image ($(( (size + 524288) / 1048576 )) MiB, $size bytes)"
done
