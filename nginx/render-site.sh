#!/bin/sh
# Renders gsp-site.conf.in with KEY=VALUE pairs, for `make` (production paths)
# and for the local run and tests (their own paths): one site file for both.
# Usage: render-site.sh TEMPLATE listen=... fcgi_socket=... webhook_socket=... static_dir=... backup_dir=...
#        auth_rate=N servers_rate=N
set -eu
template=$1; shift
script=""
for pair in "$@"; do
  key=${pair%%=*}; value=${pair#*=}
  case $key in
    listen|fcgi_socket|webhook_socket|static_dir|backup_dir|auth_rate|servers_rate) ;;
    *) echo "render-site.sh: unknown key '$key'" >&2; exit 2 ;;
  esac
  script="$script -e s|@$key@|$value|g"
done
# shellcheck disable=SC2086
out=$(sed $script "$template")
if printf '%s\n' "$out" | grep -q '@[a-z_]*@'; then
  echo "render-site.sh: unset placeholders: $(printf '%s\n' "$out" | grep -o '@[a-z_]*@' | sort -u | tr '\n' ' ')" >&2
  exit 2
fi
printf '%s\n' "$out"
