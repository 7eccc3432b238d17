#!/usr/bin/env bash
# The deployment test (server/ops/deploy-nginx.test.ts) runs Debian's nginx in front of the server.
# Installs it when missing and we may (root, apt available); otherwise that test skips with a message.
set -u
if [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's nginx for the deployment test…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq nginx openssl >/dev/null && exit 0
  echo "Could not install nginx; the deployment test will be skipped." >&2
else
  echo "nginx is not installed (apt-get install nginx); the deployment test will be skipped." >&2
fi
exit 0
