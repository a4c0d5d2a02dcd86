#!/usr/bin/env bash
# Install Debian packages the project runs or tests with, when the program they bring is missing:
#   install_debian.sh WHAT PROGRAM PACKAGE...
# e.g. Debian's chromium for the browser tests (driven by pip's playwright; never
# `playwright install`, which downloads a browser build and fails offline), or Tesseract for
# OCR of scanned PDFs. A clear message when that can't be done: not root, no apt-get.
set -euo pipefail
what=$1 program=$2
shift 2
[ -x "$program" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "$what needs $program (Debian: $*) and this is not root:" \
       "run 'sudo apt-get install $*' once, then make again" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$what needs $program and there is no apt-get here: install $* by other means" >&2
  exit 1
fi
echo "installing Debian's $* for $what (apt-get) ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$@" >/dev/null
[ -x "$program" ] || { echo "apt-get installed no $program" >&2; exit 1; }
