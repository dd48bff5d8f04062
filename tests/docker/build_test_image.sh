#!/bin/sh
# Builds the image the Docker client's integration tests run: Debian's static
# busybox (package busybox-static) in an otherwise empty image, imported with
# the docker CLI since there is no registry. Does nothing if the image exists.
# Usage: build_test_image.sh [IMAGE]   (default gsp-test-busybox:latest)
set -eu
IMAGE=${1:-gsp-test-busybox:latest}
BUSYBOX=/bin/busybox

docker image inspect "$IMAGE" >/dev/null 2>&1 && exit 0
[ -x "$BUSYBOX" ] && ! ldd "$BUSYBOX" >/dev/null 2>&1 ||
  { echo "error: $BUSYBOX is missing or not static: apt-get install busybox-static" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/tmp"
cp "$BUSYBOX" "$tmp/rootfs/bin/busybox"
for applet in sh echo sleep id touch test cat nslookup; do ln -s busybox "$tmp/rootfs/bin/$applet"; done
tar -C "$tmp/rootfs" -c . |
  docker import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
echo "built $IMAGE"
