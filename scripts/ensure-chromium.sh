#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; browsers cannot be downloaded by Playwright here.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
    echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
fi
echo "Installing Debian's chromium for the browser tests ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
