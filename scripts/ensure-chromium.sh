#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through playwright-core (which never downloads a browser).
# Installs it when missing and we may (root, apt available); otherwise the browser tests skip with a message.
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null && exit 0
  echo "Could not install chromium; browser tests will be skipped." >&2
else
  echo "chromium is not installed (apt-get install chromium); browser tests will be skipped." >&2
fi
exit 0
