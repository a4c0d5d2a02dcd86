#!/usr/bin/env bash
# Install what the browser tests need: Debian's chromium at /usr/bin/chromium, driven by pip's
# playwright (never `playwright install`, which downloads a browser build and fails offline).
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "browser tests need Debian's chromium at /usr/bin/chromium and this is not root:" \
       "run 'sudo apt-get install chromium' once, then 'make test' again" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "browser tests need chromium at /usr/bin/chromium and there is no apt-get here:" \
       "install chromium there by other means" >&2
  exit 1
fi
echo "installing Debian's chromium for the browser tests (apt-get) ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "apt-get installed no /usr/bin/chromium" >&2; exit 1; }
